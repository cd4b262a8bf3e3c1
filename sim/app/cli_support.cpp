#include "sim/app/cli_support.hpp"
#include "sim/app/stop_signal.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>

#include "output/atomic_file.hpp"
#include "sim/batch/thread_count.hpp"
#include "sim/scenario/policy_overrides.hpp"

namespace tsim::app {

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

std::vector<std::string> policies_of(const po::variables_map& vm) {
  return vm.count("policy") ? vm["policy"].as<std::vector<std::string>>() : std::vector<std::string>{};
}

std::vector<scenario::Override> checked_overrides(const po::variables_map& vm) {
  auto overrides = overrides_of(vm);
  const bool any = std::any_of(overrides.begin(), overrides.end(), scenario::is_policy_override);
  if (!any) return overrides;
  std::vector<std::string> names;
  for (const auto& p : policies_of(vm)) names.push_back(scenario::policy_name(p));
  scenario::check_policy_overrides(overrides, names, {});
  return overrides;
}

std::string human_bytes(std::uint64_t b) {
  if (b >= (1u << 20)) return fmt::format("{:.1f} MiB", static_cast<double>(b) / (1 << 20));
  if (b >= 1024) return fmt::format("{:.1f} KiB", static_cast<double>(b) / 1024);
  return fmt::format("{} B", b);
}

void Progress::update(std::uint32_t rep, std::uint32_t reps, double fraction) {
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

void Progress::done() {
  if (terminal_) err_ << "\r" << std::string(60, ' ') << "\r" << std::flush;
}

long long whole_number_option(const po::variables_map& vm, const std::string& name, long long lo, long long hi) {
  const std::string text = vm[name].as<std::string>();
  long long v = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ptr != end || (ec != std::errc() && ec != std::errc::result_out_of_range))
    throw UsageError(fmt::format("--{} must be a whole number between {} and {}, got '{}'", name, lo, hi, text));
  if (ec == std::errc::result_out_of_range || v < lo || v > hi)
    throw UsageError(fmt::format("--{} must be between {} and {}, got {}", name, lo, hi, text));
  return v;
}

std::optional<std::string> out_option(const po::variables_map& vm) {
  if (!vm.count("out")) return std::nullopt;
  const std::string dir = vm["out"].as<std::string>();
  if (dir.empty()) throw UsageError("--out (-o) must name a folder, got an empty string");
  return dir;
}

void add_run_options(po::options_description& opts, const char* default_record) {
  opts.add_options()("seed", po::value<std::string>()->default_value("1"), "master seed, 0..2147483647")
      ("replications,r", po::value<std::string>()->default_value("1"), "number of replications, 1..100000")
      ("out,o", po::value<std::string>(), "output directory (default: results/<scenario name>)")
      ("record", po::value<std::string>()->default_value(default_record), "record level: full, census or summary")
      ("threads,j", po::value<std::string>()->default_value("0"), "replications run at once (0: all cores); results do not depend on it")
      ("set", po::value<std::vector<std::string>>()->composing(), "override a scenario key: --set parameters.cohort=100000")
      ("quiet,q", "no progress output")
      ("overwrite", "first remove the run files (run_*.h5) and manifest.toml of each variant folder written, "
                    "and compare's comparison files; nothing else");
}

RunSettings run_settings(const po::variables_map& vm) {
  RunSettings r;
  const long long seed = whole_number_option(vm, "seed", 0, 2147483647);
  const long long reps = whole_number_option(vm, "replications", 1, 100000);
  const long long threads = whole_number_option(vm, "threads", 0, 4096);
  r.seed = static_cast<std::uint32_t>(seed);
  r.reps = static_cast<std::uint32_t>(reps);
  r.threads = threads == 0 ? batch::default_thread_count() : static_cast<std::size_t>(threads);
  r.threads = std::min<std::size_t>(r.threads, r.reps);
  r.record = vm["record"].as<std::string>();
  if (r.record == "full") r.level = model::RecordLevel::full;
  else if (r.record == "census") r.level = model::RecordLevel::census;
  else if (r.record == "summary") r.level = model::RecordLevel::summary;
  else throw UsageError(fmt::format("--record must be full, census or summary, got '{}'", r.record));
  r.quiet = vm.count("quiet") > 0;
  r.overwrite = vm.count("overwrite") > 0;
  return r;
}

void make_output_dir(const std::string& dir) {
  try {
    output::ensure_writable_directory(dir);
  } catch (const output::OutputError& e) {
    throw UsageError(e.what());
  }
}

std::unique_ptr<output::FolderLock> claim_output_dir(const std::string& dir, output::FolderLock::Mode mode,
                                                     const std::string& lock_name) {
  make_output_dir(dir);
  try {
    auto lock = std::make_unique<output::FolderLock>(dir, mode, lock_name);
    // Holding the whole folder: temporary files there are a killed writer's.
    if (mode == output::FolderLock::Mode::exclusive && lock_name == ".traineesim.lock")
      (void)output::remove_stale_partials(dir);
    return lock;
  } catch (const output::FolderBusy& e) {
    throw UsageError(e.what());
  } catch (const output::OutputError& e) {
    throw UsageError(e.what());
  }
}

int report_stopped(const std::string& command, const std::vector<batch::FileRun>& done, std::ostream& err) {
  const int sig = stop_signal();
  std::size_t kept = 0, cancelled = 0, not_started = 0;
  for (const auto& d : done) {
    if (d.cancelled) ++cancelled;
    else if (d.path.empty()) ++not_started;
    else if (d.error.empty()) ++kept;
  }
  err << fmt::format("traineesim {}: stopped by {}; {} finished replication file(s) kept, {} running one(s) "
                     "removed, {} not started\n",
                     command, signal_name(sig), kept, cancelled, not_started);
  return 128 + sig;
}

bool report_failures(const std::vector<batch::FileRun>& done, std::ostream& err) {
  int failed = 0;
  for (std::size_t r = 0; r < done.size(); ++r)
    if (!done[r].error.empty() && !done[r].cancelled) {
      err << fmt::format("replication {} failed: {}\n", r, done[r].error);
      ++failed;
    }
  if (failed) err << fmt::format("{} of {} replication(s) failed; their files were not written\n", failed, done.size());
  return failed > 0;
}

void report_thread_error(const std::string& thread_error, std::ostream& err) {
  if (!thread_error.empty())
    err << fmt::format("warning: could not start every thread ({}); carried on with fewer\n", thread_error);
}

}  // namespace tsim::app
