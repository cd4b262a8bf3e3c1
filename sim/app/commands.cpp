#include "sim/app/commands.hpp"

#include <boost/program_options.hpp>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <ostream>
#include <unistd.h>

#include "output/atomic_file.hpp"
#include "output/hdf5_run_writer.hpp"
#include "sim/core/error.hpp"
#include "sim/model/career_graph.hpp"
#include "sim/model/run.hpp"
#include "sim/scenario/scenario.hpp"

namespace tsim::app {

namespace po = boost::program_options;

namespace {

constexpr const char* kRngScheme =
    "philox4x32-10; key=(master_seed, replication); counter=(person key low, person key high, purpose, draw)";

constexpr const char* kUsage =
    "traineesim: follows people through healthcare training pipelines.\n"
    "\n"
    "usage: traineesim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO        simulate a scenario and write one HDF5 file per replication\n"
    "  validate SCENARIO.. check scenario files and report every problem\n"
    "  describe SCENARIO   print the career graph (as text, or Graphviz with --dot)\n"
    "\n"
    "`traineesim <command> --help` shows the options of a command.\n"
    "Exit status: 0 success, 1 failure while running, 2 bad input.\n";

// A mistake on the command line: reported like any other bad input.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& visible,
                        const po::positional_options_description& positional, const po::options_description& hidden) {
  po::options_description all;
  all.add(visible).add(hidden);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  return vm;
}

std::vector<scenario::Override> overrides_of(const po::variables_map& vm) {
  std::vector<scenario::Override> out;
  if (vm.count("set"))
    for (const auto& s : vm["set"].as<std::vector<std::string>>()) out.push_back({s});
  return out;
}

std::string human_bytes(std::uint64_t b) {
  if (b >= (1u << 20)) return fmt::format("{:.1f} MiB", static_cast<double>(b) / (1 << 20));
  if (b >= 1024) return fmt::format("{:.1f} KiB", static_cast<double>(b) / 1024);
  return fmt::format("{} B", b);
}

// Progress: a line redrawn in place on a terminal; otherwise plain lines at
// most every 10 seconds, which suits batch logs.
class Progress {
 public:
  Progress(std::ostream& err, bool terminal) : err_(err), terminal_(terminal), last_(Clock::now()) {}
  void update(std::uint32_t rep, std::uint32_t reps, double fraction) {
    const auto now = Clock::now();
    if (terminal_) {
      if (now - last_ < std::chrono::milliseconds(200) && fraction < 1.0) return;
      err_ << fmt::format("\rreplication {}/{}: {:5.1f}% of simulated time", rep + 1, reps, 100.0 * fraction)
           << std::flush;
    } else {
      if (now - last_ < std::chrono::seconds(10)) return;
      err_ << fmt::format("progress: replication {}/{}, {:.1f}% of simulated time\n", rep + 1, reps, 100.0 * fraction);
    }
    last_ = now;
  }
  void done() {
    if (terminal_) err_ << "\r" << std::string(60, ' ') << "\r" << std::flush;
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream& err_;
  bool terminal_;
  Clock::time_point last_;
};

int cmd_run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::options_description opts("traineesim run SCENARIO [options]");
  opts.add_options()("help,h", "show this help")
      ("seed", po::value<long long>()->default_value(1), "master seed, 0..2147483647")
      ("replications,r", po::value<long long>()->default_value(1), "number of replications, 1..100000")
      ("out,o", po::value<std::string>(), "output directory (default: results/<scenario name>)")
      ("record", po::value<std::string>()->default_value("full"), "record level: full, census or summary")
      ("threads,j", po::value<long long>()->default_value(0), "replications run at once (0: all cores); results do not depend on it")
      ("set", po::value<std::vector<std::string>>()->composing(), "override a scenario key: --set parameters.cohort=100000")
      ("quiet,q", "no progress output");
  po::options_description hidden;
  hidden.add_options()("scenario", po::value<std::string>());
  po::positional_options_description pos;
  pos.add("scenario", 1);
  auto vm = parse(args, opts, pos, hidden);
  if (vm.count("help")) {
    out << opts << "\nWrites <out>/baseline/run_<replication>.h5 (layout: docs/OUTPUT.md).\n";
    return kExitOk;
  }
  if (!vm.count("scenario")) throw UsageError("run needs a scenario file: traineesim run SCENARIO");
  const long long seed = vm["seed"].as<long long>();
  if (seed < 0 || seed > 2147483647) throw UsageError(fmt::format("--seed must be between 0 and 2147483647, got {}", seed));
  const long long reps = vm["replications"].as<long long>();
  if (reps < 1 || reps > 100000) throw UsageError(fmt::format("--replications must be between 1 and 100000, got {}", reps));
  long long threads = vm["threads"].as<long long>();
  if (threads < 0 || threads > 4096) throw UsageError(fmt::format("--threads must be between 0 and 4096, got {}", threads));
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, reps);
  const std::string record = vm["record"].as<std::string>();
  model::RecordLevel level;
  if (record == "full") level = model::RecordLevel::full;
  else if (record == "census") level = model::RecordLevel::census;
  else if (record == "summary") level = model::RecordLevel::summary;
  else throw UsageError(fmt::format("--record must be full, census or summary, got '{}'", record));

  const auto loaded = scenario::load_scenario_file(vm["scenario"].as<std::string>(), overrides_of(vm));
  const auto& spec = loaded.spec;
  const std::string out_dir = vm.count("out") ? vm["out"].as<std::string>() : "results/" + spec.name;
  const std::string variant_dir = (std::filesystem::path(out_dir) / "baseline").string();
  try {
    output::ensure_writable_directory(variant_dir);
  } catch (const output::OutputError& e) {
    throw UsageError(e.what());
  }

  out << fmt::format("traineesim {}: scenario '{}' ({}), seed {}, {} replication(s), record level {}\n",
                     TRAINEESIM_VERSION, spec.name, loaded.path, seed, reps, record);
  const bool quiet = vm.count("quiet") > 0;
  Progress progress(err, ::isatty(2) == 1);
  // One replication per task; each run is single-threaded and owns its file,
  // so the result is the same whatever the number of threads.
  struct Done {
    model::RunSummary summary;
    std::string path;
    std::uint64_t bytes = 0;
    double seconds = 0;
    std::string error;
  };
  std::vector<Done> done(static_cast<std::size_t>(reps));
  std::atomic<long long> next{0};
  std::atomic<long long> finished{0};
  std::mutex progress_mutex;
  auto worker = [&] {
    for (long long r = next++; r < reps; r = next++) {
      Done& d = done[static_cast<std::size_t>(r)];
      const auto started = std::chrono::steady_clock::now();
      d.path = (std::filesystem::path(variant_dir) / fmt::format("run_{}.h5", r)).string();
      try {
        model::RunHeader header;
        header.spec = &spec;
        header.scenario_sha256 = loaded.sha256;
        header.resolved_text = loaded.resolved_text;
        header.replication = static_cast<std::uint32_t>(r);
        header.master_seed = static_cast<std::uint32_t>(seed);
        header.rng_scheme = kRngScheme;
        header.record_level = level;
        header.traineesim_version = TRAINEESIM_VERSION;
        header.git_sha = TRAINEESIM_GIT_SHA;
        for (int a : spec.census.by)
          header.census_by.push_back(a == model::kRouteAttribute ? "route" : spec.attributes[a].name);
        model::RunOptions options;
        options.master_seed = header.master_seed;
        options.replication = header.replication;
        options.record_level = level;
        if (!quiet && threads == 1)
          options.progress = [&, r](double f) {
            progress.update(static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(reps), f);
          };
        output::Hdf5RunWriter writer(d.path);
        writer.begin(header);
        model::Run run(spec, options);
        d.summary = run.execute(writer);
        writer.finish();
        d.bytes = writer.bytes_written();
      } catch (const std::exception& e) {
        d.error = e.what();
      }
      d.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      const long long n = ++finished;
      if (!quiet && threads > 1) {
        const std::lock_guard<std::mutex> lock(progress_mutex);
        progress.update(static_cast<std::uint32_t>(n - 1), static_cast<std::uint32_t>(reps), 1.0);
      }
    }
  };
  std::vector<std::thread> pool;
  for (long long t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (!quiet) progress.done();

  std::vector<double> mean_headcount(spec.states.size(), 0.0);
  std::uint64_t total_records = 0, total_bytes = 0;
  double total_seconds = 0;
  int failed = 0;
  for (long long r = 0; r < reps; ++r) {
    const Done& d = done[static_cast<std::size_t>(r)];
    if (!d.error.empty()) {
      err << fmt::format("replication {} failed: {}\n", r, d.error);
      ++failed;
      continue;
    }
    total_records += d.summary.records;
    total_bytes += d.bytes;
    total_seconds += d.seconds;
    for (std::size_t s = 0; s < spec.states.size(); ++s)
      mean_headcount[s] += static_cast<double>(d.summary.final_headcount[s]) / static_cast<double>(reps);
    out << fmt::format("replication {}: {} people, {} records in {:.2f} s ({:.0f} records/s) -> {} ({})\n", r,
                       d.summary.persons, d.summary.records, d.seconds,
                       static_cast<double>(d.summary.records) / d.seconds, d.path, human_bytes(d.bytes));
  }
  if (failed) {
    err << fmt::format("{} of {} replication(s) failed; their files were not written\n", failed, reps);
    return kExitFailure;
  }
  out << fmt::format("\nheadcount at the horizon ({} days after {}){}:\n", spec.horizon_days,
                     core::format_date(spec.start_date), reps > 1 ? ", mean over replications" : "");
  for (std::size_t s = 0; s < spec.states.size(); ++s)
    out << fmt::format("  {:<32} {:>6} {:>12.1f}\n", spec.states[s].name, model::to_string(spec.states[s].kind),
                       mean_headcount[s]);
  out << fmt::format("\n{} records, {} written, {:.2f} s of run time on {} thread(s). Files: {}\n", total_records,
                     human_bytes(total_bytes), total_seconds, threads, variant_dir);
  return kExitOk;
}

int cmd_validate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::options_description opts("traineesim validate SCENARIO... [options]");
  opts.add_options()("help,h", "show this help")
      ("set", po::value<std::vector<std::string>>()->composing(), "apply an override before validating");
  po::options_description hidden;
  hidden.add_options()("scenario", po::value<std::vector<std::string>>());
  po::positional_options_description pos;
  pos.add("scenario", -1);
  auto vm = parse(args, opts, pos, hidden);
  if (vm.count("help")) {
    out << opts;
    return kExitOk;
  }
  if (!vm.count("scenario")) throw UsageError("validate needs at least one scenario file");
  int status = kExitOk;
  for (const auto& path : vm["scenario"].as<std::vector<std::string>>()) {
    try {
      const auto loaded = scenario::load_scenario_file(path, overrides_of(vm));
      out << fmt::format("ok: {} ('{}': {} states, {} transitions, {} pools, {} routes)\n", path, loaded.spec.name,
                         loaded.spec.states.size(), loaded.spec.transitions.size(), loaded.spec.pools.size(),
                         loaded.spec.routes.size());
    } catch (const core::InputError& e) {
      err << e.what() << '\n';
      err << fmt::format("{}: {} problem(s)\n", path, e.problems().size());
      status = kExitBadInput;
    }
  }
  return status;
}

int cmd_describe(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
  po::options_description opts("traineesim describe SCENARIO [options]");
  opts.add_options()("help,h", "show this help")("dot", "write the career graph as Graphviz DOT")
      ("set", po::value<std::vector<std::string>>()->composing(), "apply an override first");
  po::options_description hidden;
  hidden.add_options()("scenario", po::value<std::string>());
  po::positional_options_description pos;
  pos.add("scenario", 1);
  auto vm = parse(args, opts, pos, hidden);
  if (vm.count("help")) {
    out << opts;
    return kExitOk;
  }
  if (!vm.count("scenario")) throw UsageError("describe needs a scenario file");
  const auto loaded = scenario::load_scenario_file(vm["scenario"].as<std::string>(), overrides_of(vm));
  model::CareerGraph graph(loaded.spec);
  if (vm.count("dot")) graph.write_dot(out);
  else graph.write_text(out);
  return kExitOk;
}

}  // namespace

int run_command_line(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    (args.empty() ? err : out) << kUsage;
    return args.empty() ? kExitBadInput : kExitOk;
  }
  if (args[0] == "--version") {
    out << "traineesim " << TRAINEESIM_VERSION << " (" << TRAINEESIM_GIT_SHA << ")\n";
    return kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    if (args[0] == "run") return cmd_run(rest, out, err);
    if (args[0] == "validate") return cmd_validate(rest, out, err);
    if (args[0] == "describe") return cmd_describe(rest, out, err);
    auto guess = core::closest_match(args[0], {"run", "validate", "describe"});
    err << fmt::format("traineesim: error: unknown command '{}'{}\n\n{}", args[0],
                       guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess), kUsage);
    return kExitBadInput;
  } catch (const UsageError& e) {
    err << "traineesim " << args[0] << ": error: " << e.what() << "\n(see traineesim " << args[0] << " --help)\n";
    return kExitBadInput;
  } catch (const core::InputError& e) {
    err << e.what() << '\n';
    return kExitBadInput;
  } catch (const std::exception& e) {
    err << "traineesim " << args[0] << ": failed: " << e.what() << '\n';
    return kExitFailure;
  }
}

}  // namespace tsim::app
