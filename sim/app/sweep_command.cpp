#include "sim/app/sweep_command.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <csignal>
#include <fstream>
#include <map>

#include "output/run_file_reader.hpp"
#include "output/sweep_index_writer.hpp"
#include "sim/app/cli_support.hpp"
#include "sim/app/commands.hpp"
#include "sim/core/error.hpp"
#include "sim/scenario/sweep.hpp"

#ifdef TRAINEESIM_WITH_MPI
#include <mpi.h>
#endif

namespace tsim::app {

namespace {

// A signal handler can only reach static storage: this flag is the one piece
// of process-wide state, set by SIGINT/SIGTERM and read by the workers.
std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};
extern "C" void on_signal(int sig) {
  g_signal.store(sig);
  g_stop.store(true);
}

struct Item {
  std::size_t index = 0;
  std::size_t variant = 0, sample = 0;
  std::uint32_t replication = 0;
  std::string file;  // relative to the output folder
};

struct Variant {
  std::string name;
  std::vector<std::string> policies;  // files
};

// Quantile by linear interpolation between order statistics (type 7).
double quantile(std::vector<double> v, double q) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const double h = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const auto hi = std::min(v.size() - 1, lo + 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

struct Shard {
  long long index = 0, count = 1;
};

Shard parse_shard(const std::string& text) {
  Shard s;
  char slash = 0, tail = 0;
  if (std::sscanf(text.c_str(), "%lld%c%lld%c", &s.index, &slash, &s.count, &tail) != 3 || slash != '/' || s.count < 1 ||
      s.index < 0 || s.index >= s.count)
    throw std::invalid_argument(fmt::format("--shard must be i/N with 0 <= i < N, got '{}'", text));
  return s;
}

}  // namespace

int cmd_sweep(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::options_description opts("traineesim sweep SWEEP.toml [options]");
  opts.add_options()("help,h", "show this help")
      ("out,o", po::value<std::string>(), "output folder (default: results/<sweep name>)")
      ("threads,j", po::value<long long>()->default_value(0), "runs at once (0: all cores); results do not depend on it")
      ("shard", po::value<std::string>(), "run only shard i of N (i/N, for Slurm job arrays); no index is written")
      ("index-only", "write <out>/sweep.h5 from the run files already there, run nothing")
      ("quiet,q", "no progress output");
  po::options_description hidden;
  hidden.add_options()("sweep", po::value<std::string>());
  po::positional_options_description pos;
  pos.add("sweep", 1);
  po::options_description all;
  all.add(opts).add(hidden);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    err << "traineesim sweep: error: " << e.what() << "\n";
    return kExitBadInput;
  }
  if (vm.count("help")) {
    out << opts << "\nWrites <out>/<variant>/s<sample>/run_<replication>.h5 and <out>/sweep.h5 (docs/OUTPUT.md).\n"
                   "Rerunning the same command resumes: finished, validated run files are kept.\n";
    return kExitOk;
  }
  if (!vm.count("sweep")) {
    err << "traineesim sweep: error: sweep needs a sweep file\n";
    return kExitBadInput;
  }
  Shard shard;
  long long threads = vm["threads"].as<long long>();
  try {
    if (vm.count("shard")) shard = parse_shard(vm["shard"].as<std::string>());
    if (threads < 0 || threads > 4096) throw std::invalid_argument(fmt::format("--threads must be 0..4096, got {}", threads));
  } catch (const std::invalid_argument& e) {
    err << "traineesim sweep: error: " << e.what() << "\n";
    return kExitBadInput;
  }
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  const bool index_only = vm.count("index-only") > 0;
  int mpi_rank = 0, mpi_size = 1;
#ifdef TRAINEESIM_WITH_MPI
  // Under mpirun, rank k of N takes the items of shard k/N: a static split of
  // the fixed global order, so results are the same for any number of ranks.
  MPI_Comm_rank(MPI_COMM_WORLD, &mpi_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &mpi_size);
  if (mpi_size > 1) {
    if (vm.count("shard")) {
      err << "traineesim sweep: error: --shard cannot be combined with several MPI ranks\n";
      return kExitBadInput;
    }
    shard = Shard{mpi_rank, mpi_size};
  }
#endif
  const bool quiet = vm.count("quiet") > 0;

  const auto sweep = scenario::load_sweep_file(vm["sweep"].as<std::string>());
  const std::string out_dir = vm.count("out") ? vm["out"].as<std::string>() : "results/" + sweep.name;
  // The base scenario must load; a variant or sample that fails is recorded per run instead.
  (void)scenario::load_scenario_file(sweep.scenario_path);
  try {
    output::ensure_writable_directory(out_dir);
  } catch (const output::OutputError& e) {
    err << "traineesim sweep: error: " << e.what() << "\n";
    return kExitBadInput;
  }

  std::vector<Variant> variants;
  if (sweep.baseline) variants.push_back({"baseline", {}});
  for (const auto& p : sweep.policy_paths) {
    std::string name;
    try {
      name = scenario::policy_name(p);
    } catch (const core::InputError& e) {
      name = std::filesystem::path(p).stem().string();
    }
    variants.push_back({name, {p}});
  }
  const std::size_t n_samples = sweep.samples.size();
  const auto reps = static_cast<std::size_t>(sweep.replications);

  // Each (variant, sample) loads once; a failure marks its runs failed.
  std::vector<std::optional<scenario::LoadedScenario>> loaded(variants.size() * n_samples);
  std::vector<std::string> load_error(loaded.size());
  for (std::size_t v = 0; v < variants.size(); ++v)
    for (std::size_t k = 0; k < n_samples; ++k) {
      std::vector<scenario::Override> o;
      for (const auto& s : sweep.overrides(k)) o.push_back({s});
      try {
        loaded[v * n_samples + k] = scenario::load_scenario_file(sweep.scenario_path, o, variants[v].policies);
      } catch (const core::InputError& e) {
        load_error[v * n_samples + k] = e.what();
      }
    }

  // The fixed global order of work items.
  std::vector<Item> items;
  for (std::size_t v = 0; v < variants.size(); ++v)
    for (std::size_t k = 0; k < n_samples; ++k)
      for (std::size_t r = 0; r < reps; ++r)
        items.push_back({items.size(), v, k, static_cast<std::uint32_t>(r),
                         fmt::format("{}/s{}/run_{}.h5", variants[v].name, k, r)});

  auto path_of = [&](const Item& it) { return (std::filesystem::path(out_dir) / it.file).string(); };
  auto done_on_disk = [&](const Item& it) {
    const auto& l = loaded[it.variant * n_samples + it.sample];
    return l && output::run_file_is_done(path_of(it), {l->sha256, sweep.seed, it.replication});
  };

  std::vector<std::string> errors(items.size());
  std::uint64_t bytes = 0;
  std::size_t ran = 0, skipped = 0, failed = 0;
  if (!index_only) {
    std::vector<const Item*> todo;
    for (const auto& it : items)
      if (static_cast<long long>(it.index % static_cast<std::size_t>(shard.count)) == shard.index) todo.push_back(&it);
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    out << fmt::format("traineesim sweep '{}': {} variant(s) x {} sample(s) x {} replication(s) = {} runs{}, {} thread(s)\n",
                       sweep.name, variants.size(), n_samples, reps, items.size(),
                       shard.count > 1 ? fmt::format(", shard {}/{} ({} runs)", shard.index, shard.count, todo.size()) : "",
                       threads);
    std::atomic<std::size_t> next{0}, finished{0};
    std::mutex mutex;  // guards counters, timings and progress output
    std::ofstream timings((std::filesystem::path(out_dir) / "sweep_timings.csv").string(), std::ios::app);
    const auto started = std::chrono::steady_clock::now();
    auto last_line = started;
    const bool terminal = ::isatty(2) == 1;
    auto worker = [&] {
      for (std::size_t t = next++; t < todo.size() && !g_stop.load(); t = next++) {
        const Item& it = *todo[t];
        const auto& l = loaded[it.variant * n_samples + it.sample];
        std::string error = load_error[it.variant * n_samples + it.sample];
        bool skip = false, ok = false;
        std::uint64_t written = 0;
        const auto t0 = std::chrono::steady_clock::now();
        if (error.empty()) {
          if (done_on_disk(it)) {
            skip = true;
          } else {
            try {
              const std::string path = path_of(it);
              output::ensure_writable_directory(std::filesystem::path(path).parent_path().string());
              model::RunHeader header;
              header.spec = &l->spec;
              header.scenario_sha256 = l->sha256;
              header.resolved_text = l->resolved_text;
              for (const auto& p : l->spec.policies) header.policies += (header.policies.empty() ? "" : ",") + p;
              header.variant = variants[it.variant].name;
              header.replication = it.replication;
              header.master_seed = sweep.seed;
              header.rng_scheme = kRngScheme;
              header.record_level = sweep.record;
              header.traineesim_version = TRAINEESIM_VERSION;
              header.git_sha = TRAINEESIM_GIT_SHA;
              header.schema = std::make_shared<const model::RunSchema>(model::RunSchema::for_scenario(l->spec));
              model::RunOptions options;
              options.master_seed = sweep.seed;
              options.replication = it.replication;
              options.record_level = sweep.record;
              options.stop = &g_stop;
              output::Hdf5RunWriter writer(path);
              writer.begin(header);
              model::Run run(l->spec, options);
              run.execute(writer);
              writer.finish();
              written = writer.bytes_written();
              ok = true;
            } catch (const core::Cancelled&) {
              return;  // the writer removed its partial file
            } catch (const std::exception& e) {
              error = e.what();
            }
          }
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const std::lock_guard<std::mutex> lock(mutex);
        if (!error.empty()) errors[it.index] = error;
        skip ? ++skipped : ok ? ++ran : ++failed;
        bytes += written;
        if (ok || !error.empty())
          timings << fmt::format("{},{},{},{},{:.3f},{}\n", it.index, variants[it.variant].name, it.sample, it.replication,
                                 seconds, ok ? "done" : "failed");
        const std::size_t n = ++finished;
        const auto now = std::chrono::steady_clock::now();
        const double elapsed = std::chrono::duration<double>(now - started).count();
        const double eta = elapsed / static_cast<double>(n) * static_cast<double>(todo.size() - n);
        if (quiet) continue;
        if (terminal && (now - last_line > std::chrono::milliseconds(200) || n == todo.size())) {
          err << fmt::format("\r{}/{} runs ({} skipped, {} failed), {:.0f} s elapsed, ETA {:.0f} s   ", n, todo.size(),
                             skipped, failed, elapsed, eta)
              << std::flush;
          last_line = now;
        } else if (!terminal && (now - last_line > std::chrono::seconds(60) || n == todo.size())) {
          err << fmt::format("progress: {}/{} runs ({} skipped, {} failed), {:.0f} s elapsed, ETA {:.0f} s\n", n,
                             todo.size(), skipped, failed, elapsed, eta);
          last_line = now;
        }
      }
    };
    std::vector<std::thread> pool;
    for (long long t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    if (!quiet && terminal) err << "\n";
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    for (std::size_t i = 0; i < items.size(); ++i)
      if (!errors[i].empty()) err << fmt::format("run {} ({}) failed: {}\n", i, items[i].file, errors[i]);
  }

#ifdef TRAINEESIM_WITH_MPI
  if (mpi_size > 1) MPI_Barrier(MPI_COMM_WORLD);  // every rank's files are on disk
#endif
  const bool write_index = (shard.count == 1 || index_only || mpi_size > 1) && mpi_rank == 0;
  if (write_index) {
    // Rebuilt from the files on disk: a run is "done" only if its file validates.
    output::SweepIndex index;
    index.name = sweep.name;
    index.definition = sweep.text;
    index.parameter_names = sweep.parameter_keys;
    index.parameter_values.assign(sweep.parameter_keys.size(), std::vector<double>(n_samples));
    for (std::size_t k = 0; k < n_samples; ++k)
      for (std::size_t j = 0; j < sweep.parameter_keys.size(); ++j) index.parameter_values[j][k] = sweep.samples[k][j];
    std::vector<bool> done(items.size(), false);
    for (const auto& it : items) {
      const auto& l = loaded[it.variant * n_samples + it.sample];
      const std::string& load_err = load_error[it.variant * n_samples + it.sample];
      done[it.index] = done_on_disk(it);
      index.run_index.push_back(static_cast<std::int32_t>(it.index));
      index.variant.push_back(variants[it.variant].name);
      index.sample.push_back(static_cast<std::int32_t>(it.sample));
      index.replication.push_back(static_cast<std::int32_t>(it.replication));
      index.seed.push_back(static_cast<std::int32_t>(sweep.seed));
      index.file.push_back(it.file);
      const std::string& e = !load_err.empty() ? load_err : errors[it.index];
      index.status.push_back(done[it.index] ? "done" : !e.empty() ? "failed" : "missing");
      index.scenario_sha256.push_back(l ? l->sha256 : "");
      index.error.push_back(done[it.index] ? "" : e);
    }
    // Aggregates of census headcount across the replications that are done.
    std::map<std::pair<std::size_t, std::size_t>, std::vector<output::CensusSummary>> census;  // (variant, sample)
    for (const auto& it : items)
      if (done[it.index]) census[{it.variant, it.sample}].push_back(output::read_census_summary(path_of(it)));
    auto census_of = [&](std::size_t v, std::size_t k, std::size_t r) -> const output::CensusSummary* {
      const auto& it = items[(v * n_samples + k) * reps + r];
      if (!done[it.index]) return nullptr;
      std::size_t pos = 0;  // position among done replications of this (variant, sample)
      for (std::size_t q = 0; q < r; ++q) pos += done[(v * n_samples + k) * reps + q];
      return &census[{v, k}][pos];
    };
    for (std::size_t v = 0; v < variants.size(); ++v)
      for (std::size_t k = 0; k < n_samples; ++k) {
        const auto& l = loaded[v * n_samples + k];
        if (!l) continue;
        const auto ends = core::period_ends(l->spec.start_date, l->spec.horizon_days, l->spec.census.every,
                                            l->spec.census.every_days);
        const std::size_t states = l->spec.states.size();
        const bool paired = sweep.baseline && v > 0 && loaded[k];
        for (std::size_t p = 0; p < ends.size(); ++p)
          for (std::size_t s = 0; s < states; ++s) {
            std::vector<double> x, d;
            for (std::size_t r = 0; r < reps; ++r) {
              const auto* c = census_of(v, k, r);
              if (!c) continue;
              const double h = p < c->headcount.size() && s < c->states ? c->headcount[p][s] : 0.0;
              x.push_back(h);
              if (!paired) continue;
              const auto* b = census_of(0, k, r);
              if (!b) continue;
              // States of the baseline keep their names' order; match by name.
              const int bs = loaded[k]->spec.state_index(l->spec.states[s].name);
              const double hb = bs >= 0 && p < b->headcount.size() ? b->headcount[p][static_cast<std::size_t>(bs)] : 0.0;
              d.push_back(h - hb);
            }
            if (x.empty()) continue;
            double mean = 0, ss = 0;
            for (double y : x) mean += y / static_cast<double>(x.size());
            for (double y : x) ss += (y - mean) * (y - mean);
            const double se = x.size() > 1 ? std::sqrt(ss / static_cast<double>(x.size() - 1) / static_cast<double>(x.size())) : std::nan("");
            auto& a = index.aggregate;
            a.variant.push_back(variants[v].name);
            a.sample.push_back(static_cast<std::int32_t>(k));
            a.period.push_back(static_cast<std::int32_t>(p));
            a.period_end_day.push_back(ends[p]);
            a.state.push_back(static_cast<std::int32_t>(s));
            a.replications.push_back(static_cast<std::int32_t>(x.size()));
            a.mean.push_back(mean);
            a.standard_error.push_back(se);
            a.p5.push_back(quantile(x, 0.05));
            a.p50.push_back(quantile(x, 0.5));
            a.p95.push_back(quantile(x, 0.95));
            if (d.size() < 2) continue;
            double dm = 0, dss = 0;
            for (double y : d) dm += y / static_cast<double>(d.size());
            for (double y : d) dss += (y - dm) * (y - dm);
            const double hw = boost::math::quantile(boost::math::students_t(static_cast<double>(d.size() - 1)), 0.975) *
                              std::sqrt(dss / static_cast<double>(d.size() - 1) / static_cast<double>(d.size()));
            auto& pd = index.paired;
            pd.variant.push_back(variants[v].name);
            pd.sample.push_back(static_cast<std::int32_t>(k));
            pd.period.push_back(static_cast<std::int32_t>(p));
            pd.period_end_day.push_back(ends[p]);
            pd.state.push_back(static_cast<std::int32_t>(s));
            pd.replications.push_back(static_cast<std::int32_t>(d.size()));
            pd.mean_difference.push_back(dm);
            pd.ci_low.push_back(dm - hw);
            pd.ci_high.push_back(dm + hw);
          }
      }
    output::write_sweep_index((std::filesystem::path(out_dir) / "sweep.h5").string(), index);
    std::size_t n_done = 0;
    for (bool b : done) n_done += b;
    out << fmt::format("index: {} of {} runs done -> {}\n", n_done, items.size(),
                       (std::filesystem::path(out_dir) / "sweep.h5").string());
  }
  if (!index_only)
    out << fmt::format("{}{} run(s) written ({}), {} already done, {} failed\n",
                       mpi_size > 1 ? fmt::format("rank {}/{}: ", mpi_rank, mpi_size) : "", ran, human_bytes(bytes), skipped,
                       failed);
  if (g_stop.load()) {
    const int sig = g_signal.load();
    err << fmt::format("traineesim sweep: stopped by signal {}; rerun the same command to resume\n", sig);
    return 128 + sig;
  }
  return failed > 0 ? kExitFailure : kExitOk;
}

}  // namespace tsim::app
