// Pieces shared by the commands (run, compare, sweep): option parsing,
// progress, and running the replications of one variant on a thread pool.
#pragma once

#include <atomic>
#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "output/atomic_file.hpp"
#include "output/hdf5_run_writer.hpp"
#include "sim/model/indicators.hpp"
#include "sim/model/run.hpp"
#include "sim/scenario/scenario.hpp"

namespace tsim::app {

namespace po = boost::program_options;

constexpr const char* kRngScheme =
    "philox4x32-10; key=(master_seed, replication); counter=(person key low, person key high, purpose, draw)";


// A mistake on the command line: reported like any other bad input.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline po::variables_map parse(const std::vector<std::string>& args, const po::options_description& visible,
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

inline std::vector<scenario::Override> overrides_of(const po::variables_map& vm) {
  std::vector<scenario::Override> out;
  if (vm.count("set"))
    for (const auto& s : vm["set"].as<std::vector<std::string>>()) out.push_back({s});
  return out;
}

inline std::string human_bytes(std::uint64_t b) {
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

// Options shared by run and compare.
struct RunSettings {
  long long seed = 1;
  long long reps = 1;
  long long threads = 1;
  model::RecordLevel level = model::RecordLevel::full;
  std::string record = "full";
  bool quiet = false;
};

inline void add_run_options(po::options_description& opts, const char* default_record) {
  opts.add_options()("seed", po::value<long long>()->default_value(1), "master seed, 0..2147483647")
      ("replications,r", po::value<long long>()->default_value(1), "number of replications, 1..100000")
      ("out,o", po::value<std::string>(), "output directory (default: results/<scenario name>)")
      ("record", po::value<std::string>()->default_value(default_record), "record level: full, census or summary")
      ("threads,j", po::value<long long>()->default_value(0), "replications run at once (0: all cores); results do not depend on it")
      ("set", po::value<std::vector<std::string>>()->composing(), "override a scenario key: --set parameters.cohort=100000")
      ("quiet,q", "no progress output");
}

inline RunSettings run_settings(const po::variables_map& vm) {
  RunSettings r;
  r.seed = vm["seed"].as<long long>();
  if (r.seed < 0 || r.seed > 2147483647) throw UsageError(fmt::format("--seed must be between 0 and 2147483647, got {}", r.seed));
  r.reps = vm["replications"].as<long long>();
  if (r.reps < 1 || r.reps > 100000) throw UsageError(fmt::format("--replications must be between 1 and 100000, got {}", r.reps));
  r.threads = vm["threads"].as<long long>();
  if (r.threads < 0 || r.threads > 4096) throw UsageError(fmt::format("--threads must be between 0 and 4096, got {}", r.threads));
  if (r.threads == 0) r.threads = std::max(1u, std::thread::hardware_concurrency());
  r.threads = std::min(r.threads, r.reps);
  r.record = vm["record"].as<std::string>();
  if (r.record == "full") r.level = model::RecordLevel::full;
  else if (r.record == "census") r.level = model::RecordLevel::census;
  else if (r.record == "summary") r.level = model::RecordLevel::summary;
  else throw UsageError(fmt::format("--record must be full, census or summary, got '{}'", r.record));
  r.quiet = vm.count("quiet") > 0;
  return r;
}

inline std::vector<std::string> policies_of(const po::variables_map& vm) {
  return vm.count("policy") ? vm["policy"].as<std::vector<std::string>>() : std::vector<std::string>{};
}

inline void make_output_dir(const std::string& dir) {
  try {
    output::ensure_writable_directory(dir);
  } catch (const output::OutputError& e) {
    throw UsageError(e.what());
  }
}

// One finished replication.
struct Done {
  model::RunSummary summary;
  model::IndicatorSet indicators;
  std::string path;
  std::uint64_t bytes = 0;
  double seconds = 0;
  std::string error;
};

// Runs replications 0..reps-1 of one variant on a pool of threads; each run is
// single-threaded and owns its file, so results never depend on the thread count.
inline std::vector<Done> run_replications(const scenario::LoadedScenario& loaded, const std::string& variant,
                                   const std::string& variant_dir, const RunSettings& settings, std::uint32_t seed,
                                   bool indicators, Progress& progress) {
  const auto& spec = loaded.spec;
  std::vector<Done> done(static_cast<std::size_t>(settings.reps));
  std::atomic<long long> next{0};
  std::atomic<long long> finished{0};
  std::mutex progress_mutex;
  std::string policies;
  for (const auto& p : spec.policies) policies += (policies.empty() ? "" : ",") + p;
  auto worker = [&] {
    for (long long r = next++; r < settings.reps; r = next++) {
      Done& d = done[static_cast<std::size_t>(r)];
      const auto started = std::chrono::steady_clock::now();
      d.path = (std::filesystem::path(variant_dir) / fmt::format("run_{}.h5", r)).string();
      try {
        model::RunHeader header;
        header.spec = &spec;
        header.scenario_sha256 = loaded.sha256;
        header.resolved_text = loaded.resolved_text;
        header.policies = policies;
        header.variant = variant;
        header.replication = static_cast<std::uint32_t>(r);
        header.master_seed = seed;
        header.rng_scheme = kRngScheme;
        header.record_level = settings.level;
        header.traineesim_version = TRAINEESIM_VERSION;
        header.git_sha = TRAINEESIM_GIT_SHA;
        header.schema = std::make_shared<const model::RunSchema>(model::RunSchema::for_scenario(spec));
        model::RunOptions options;
        options.master_seed = header.master_seed;
        options.replication = header.replication;
        options.record_level = settings.level;
        if (!settings.quiet && settings.threads == 1)
          options.progress = [&, r](double f) {
            progress.update(static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(settings.reps), f);
          };
        output::Hdf5RunWriter writer(d.path);
        model::IndicatorCollector collector(spec, &writer);
        model::RunSink& sink = indicators ? static_cast<model::RunSink&>(collector) : writer;
        sink.begin(header);
        model::Run run(spec, options);
        d.summary = run.execute(sink);
        sink.finish();
        d.bytes = writer.bytes_written();
        if (indicators) d.indicators = collector.compute(d.summary);
      } catch (const std::exception& e) {
        d.error = e.what();
      }
      d.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      const long long n = ++finished;
      if (!settings.quiet && settings.threads > 1) {
        const std::lock_guard<std::mutex> lock(progress_mutex);
        progress.update(static_cast<std::uint32_t>(n - 1), static_cast<std::uint32_t>(settings.reps), 1.0);
      }
    }
  };
  std::vector<std::thread> pool;
  for (long long t = 1; t < settings.threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (!settings.quiet) progress.done();
  return done;
}

// Reports failed replications; true if any failed.
inline bool report_failures(const std::vector<Done>& done, std::ostream& err) {
  int failed = 0;
  for (std::size_t r = 0; r < done.size(); ++r)
    if (!done[r].error.empty()) {
      err << fmt::format("replication {} failed: {}\n", r, done[r].error);
      ++failed;
    }
  if (failed) err << fmt::format("{} of {} replication(s) failed; their files were not written\n", failed, done.size());
  return failed > 0;
}


}  // namespace tsim::app
