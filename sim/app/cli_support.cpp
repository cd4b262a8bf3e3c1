#include "sim/app/cli_support.hpp"
#include "sim/app/stop_signal.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>

#include "output/atomic_file.hpp"
#include "sim/batch/output_estimate.hpp"
#include "sim/batch/thread_count.hpp"
#include "sim/scenario/policy_overrides.hpp"

#include <unistd.h>

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

po::variables_map parse_with(const std::vector<std::string>& args, const po::options_description& visible,
                             const char* positional, bool many) {
  po::options_description hidden;
  if (many) hidden.add_options()(positional, po::value<std::vector<std::string>>());
  else hidden.add_options()(positional, po::value<std::string>());
  po::positional_options_description pos;
  pos.add(positional, many ? -1 : 1);
  return parse(args, visible, pos, hidden);
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

Progress::Progress(std::ostream& err, bool terminal, std::uint64_t total_runs, double horizon_years,
                   Clock::duration interval)
    : err_(err),
      terminal_(terminal),
      total_(std::max<std::uint64_t>(total_runs, 1)),
      horizon_years_(horizon_years),
      interval_(terminal ? std::chrono::milliseconds(200) : interval),
      start_(Clock::now()),
      last_(start_) {}

namespace {
// "45 s", "3m 05s", "2h 07m": durations people read at a glance.
std::string human_seconds(double s) {
  if (!(s >= 0) || s > 1e8) return "?";
  const auto whole = static_cast<long long>(std::llround(s));
  if (whole < 60) return fmt::format("{} s", whole);
  if (whole < 3600) return fmt::format("{}m {:02}s", whole / 60, whole % 60);
  return fmt::format("{}h {:02}m", whole / 3600, whole % 3600 / 60);
}
}  // namespace

std::string Progress::line(double fraction, std::uint64_t finished, std::uint64_t total, double elapsed_s,
                           double horizon_years) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  const double years = fraction * static_cast<double>(total) * horizon_years;
  const double rate = elapsed_s > 0 ? years / elapsed_s : 0.0;
  // All simulated time done but runs still open: they are writing their files.
  const std::string eta = fraction >= 1 && finished < total ? "? (writing files)"
                          : fraction > 0 && fraction < 1   ? human_seconds(elapsed_s * (1 - fraction) / fraction)
                          : fraction >= 1                  ? "0 s"
                                                           : "?";
  return fmt::format("progress: {:5.1f}%, {}/{} runs done, {} elapsed, {:.3g} simulated years/s, ETA {}",
                     100.0 * fraction, finished, total, human_seconds(elapsed_s), rate, eta);
}

void Progress::update(const batch::VariantProgress& p) {
  current_ = p;
  show(false);
}

void Progress::variant_done(std::uint32_t replications) {
  runs_before_ += replications;
  current_ = batch::VariantProgress{};
}

void Progress::show(bool force) {
  const auto now = Clock::now();
  if (!force && now - last_ < interval_) return;
  last_ = now;
  const double done_runs = static_cast<double>(runs_before_) + current_.fraction * current_.replications;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const std::string text = line(done_runs / static_cast<double>(total_), runs_before_ + current_.finished, total_,
                                elapsed, horizon_years_);
  if (terminal_) {
    // Pad over a longer earlier line so no stale characters remain.
    err_ << '\r' << text << std::string(drawn_ > text.size() ? drawn_ - text.size() : 0, ' ') << std::flush;
    drawn_ = text.size();
  } else {
    err_ << text << '\n' << std::flush;
  }
  last_line_ = text;
  shown_ = true;
}

void Progress::done() {
  if (terminal_) {
    if (drawn_ > 0) err_ << '\r' << std::string(drawn_, ' ') << '\r' << std::flush;
    drawn_ = 0;
  } else if (shown_) {
    // The log ends on where the command got to (unless its last line says so already).
    const std::string previous = last_line_;
    const auto now = Clock::now();
    const double done_runs = static_cast<double>(runs_before_) + current_.fraction * current_.replications;
    const std::string text = line(done_runs / static_cast<double>(total_), runs_before_ + current_.finished, total_,
                                  std::chrono::duration<double>(now - start_).count(), horizon_years_);
    // Compare without the times, which move on.
    if (text.substr(0, text.find(" runs done")) != previous.substr(0, previous.find(" runs done"))) show(true);
  }
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
      ("progress-every", po::value<std::string>()->default_value("10"),
       "seconds between progress lines when stderr is not a terminal (logs), 0..86400")
      ("lean-memory", "give the memory of people who have left to newcomers and keep their /persons rows "
                      "compressed: less peak memory where many leave (-26% to -31% on a large full run), "
                      "about 15-30% more time; the files are the same")
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
  r.progress_every_s = static_cast<double>(whole_number_option(vm, "progress-every", 0, 86400));
  r.overwrite = vm.count("overwrite") > 0;
  r.lean_memory = vm.count("lean-memory") > 0;
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

namespace {
// "run_0.h5, run_1.h5 (in out/baseline)": at most `most` names, then a count.
std::string file_list(const std::vector<std::string>& paths, std::size_t most = 12) {
  if (paths.empty()) return "none";
  std::string names;
  for (std::size_t i = 0; i < paths.size() && i < most; ++i)
    names += (i ? ", " : "") + std::filesystem::path(paths[i]).filename().string();
  if (paths.size() > most) names += fmt::format(" and {} more", paths.size() - most);
  return names + " (in " + std::filesystem::path(paths.front()).parent_path().string() + ")";
}
}  // namespace

int report_stopped(const std::string& command, const std::vector<batch::FileRun>& done, std::ostream& err) {
  const int sig = stop_signal();
  std::vector<std::string> kept, removed;
  std::size_t not_started = 0;
  for (const auto& d : done) {
    if (d.cancelled) removed.push_back(d.path);
    else if (d.path.empty()) ++not_started;
    else if (d.error.empty()) kept.push_back(d.path);
  }
  err << fmt::format("traineesim {}: stopped by {}; {} finished replication file(s) kept, {} running one(s) "
                     "removed, {} not started\n",
                     command, signal_name(sig), kept.size(), removed.size(), not_started);
  err << fmt::format("  kept, complete: {}\n", file_list(kept));
  if (!removed.empty())
    err << fmt::format("  removed, unfinished (no partial file is left): {}\n", file_list(removed));
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

void print_warnings(const scenario::LoadedScenario& loaded, std::ostream& err) {
  for (const auto& w : loaded.warnings) err << fmt::format("{}: warning: {}\n", w.where.str(), w.message);
}

namespace {
std::string approx_bytes(double b) {
  if (b >= 1e9) return fmt::format("{:.1f} GB", b / 1e9);
  if (b >= 1e7) return fmt::format("{:.0f} MB", b / 1e6);
  if (b >= 1e6) return fmt::format("{:.1f} MB", b / 1e6);
  if (b >= 1e3) return fmt::format("{:.0f} kB", b / 1e3);
  return fmt::format("{:.0f} B", b);
}
}  // namespace

void print_estimate(const PlannedRuns& runs, model::RecordLevel level, bool lean_memory, std::size_t threads,
                    double physical_memory, std::ostream& out, std::ostream& err) {
  double count = 0, people = 0, events = 0, total = 0, census = 0, summary = 0, run_memory = 0;
  for (const auto& [spec, n] : runs) {
    const auto e = batch::estimate_run(*spec, level, lean_memory);
    const auto k = static_cast<double>(n);
    count += k;
    people += k * e.people;
    events += k * e.events;
    total += k * e.file_bytes;
    census += k * batch::estimate_run(*spec, model::RecordLevel::census).file_bytes;
    summary += k * batch::estimate_run(*spec, model::RecordLevel::summary).file_bytes;
    if (n > 0) run_memory = std::max(run_memory, e.memory_bytes);
  }
  if (count == 0) return;
  threads = std::max<std::size_t>(1, std::min<std::size_t>(threads, static_cast<std::size_t>(count)));
  const double memory = batch::kProcessBaseBytes + run_memory * static_cast<double>(threads);
  out << fmt::format("estimate: {:.0f} people and {:.1f} events each per run; {:.0f} file(s) of about {} ({} in all); "
                     "peak memory about {} with {} run(s) at once\n",
                     people / count, people > 0 ? events / people : 0.0, count, approx_bytes(total / count),
                     approx_bytes(total), approx_bytes(memory), threads)
      << std::flush;
  if (total > kLargeOutputBytes)
    err << fmt::format("warning: this will write about {} of run files (record level {}); --record census would "
                       "write about {} (no /events), --record summary about {}\n",
                       approx_bytes(total), model::to_string(level), approx_bytes(census), approx_bytes(summary));
  if (physical_memory > 0 && memory > physical_memory / 2)
    err << fmt::format("warning: the runs may need about {} of memory, more than half of this machine's {}; fewer "
                       "--threads need less\n",
                       approx_bytes(memory), approx_bytes(physical_memory));
}

double physical_memory_bytes() noexcept {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long size = ::sysconf(_SC_PAGESIZE);
  return pages > 0 && size > 0 ? static_cast<double>(pages) * static_cast<double>(size) : 0.0;
}

void report_thread_error(const std::string& thread_error, std::ostream& err) {
  if (!thread_error.empty())
    err << fmt::format("warning: could not start every thread ({}); carried on with fewer\n", thread_error);
}

}  // namespace tsim::app
