// Pieces shared by the commands (run, compare, sweep): option parsing,
// progress lines and failure messages. Everything that runs lives in
// sim/batch; this is only the command line and what it prints.
#pragma once

#include <boost/program_options.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "output/folder_lock.hpp"
#include "sim/batch/replications.hpp"
#include "sim/batch/run_one.hpp"
#include "sim/scenario/scenario.hpp"

namespace tsim::app {

namespace po = boost::program_options;

/// A mistake on the command line: reported like any other bad input (exit 2).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Parses `args` against visible and hidden options. Throws UsageError.
po::variables_map parse(const std::vector<std::string>& args, const po::options_description& visible,
                        const po::positional_options_description& positional, const po::options_description& hidden);

/// Parses `args` against `visible` plus one positional argument called
/// `positional` (a string; `many`: a list of them). Throws UsageError.
po::variables_map parse_with(const std::vector<std::string>& args, const po::options_description& visible,
                             const char* positional, bool many = false);

/// The `--set` overrides given. Never throws (but std::bad_alloc).
std::vector<scenario::Override> overrides_of(const po::variables_map& vm);

/// The `--policy` files given, in order. Never throws (but std::bad_alloc).
std::vector<std::string> policies_of(const po::variables_map& vm);

/// The --set overrides, with every `policy.<name>.<key>` one checked to name
/// a policy given with --policy (policy_overrides.hpp). Throws core::InputError.
std::vector<scenario::Override> checked_overrides(const po::variables_map& vm);

/// Bytes for people: "1.2 MiB", "3.4 KiB", "12 B". Never throws (but std::bad_alloc).
std::string human_bytes(std::uint64_t bytes);

/// Progress of a command over all its runs (every replication of every
/// variant): percent of simulated time done, runs finished, elapsed time,
/// rate (simulated years per second of wall time) and an estimate of the
/// time left. On a terminal one line redrawn in place (carriage return, at
/// most every 200 ms); otherwise plain lines at most every `interval`,
/// which suits batch logs. It only reads what the runs report.
class Progress {
 public:
  using Clock = std::chrono::steady_clock;
  /// `total_runs` runs of `horizon_years` simulated years each.
  Progress(std::ostream& err, bool terminal, std::uint64_t total_runs, double horizon_years,
           Clock::duration interval = std::chrono::seconds(10));
  /// The current variant reports `p` (its own replications only).
  void update(const batch::VariantProgress& p);
  /// The current variant's `replications` runs have all ended; the next
  /// update is about the next variant.
  void variant_done(std::uint32_t replications);
  /// Ends the display: clears the redrawn line, or prints a last plain line.
  void done();
  /// The text of one progress line (no line end). Never throws (but std::bad_alloc).
  [[nodiscard]] static std::string line(double fraction, std::uint64_t finished, std::uint64_t total,
                                        double elapsed_s, double horizon_years);

 private:
  void show(bool force);
  std::ostream& err_;
  bool terminal_;
  std::uint64_t total_;
  double horizon_years_;
  Clock::duration interval_;
  Clock::time_point start_;
  Clock::time_point last_;
  std::uint64_t runs_before_ = 0;  // runs of the variants already done
  batch::VariantProgress current_;
  std::size_t drawn_ = 0;          // length of the line on screen (terminal)
  std::string last_line_;          // the last line shown
  bool shown_ = false;
};

/// Options shared by run and compare.
struct RunSettings {
  std::uint32_t seed = 1;
  std::uint32_t reps = 1;
  std::size_t threads = 1;  // already capped at reps
  model::RecordLevel level = model::RecordLevel::full;
  std::string record = "full";
  bool quiet = false;
  double progress_every_s = 10;  // between progress lines when stderr is not a terminal
  bool lean_memory = false;  // --lean-memory: leavers' places in memory go to newcomers (same files)
  bool overwrite = false;  // remove the old run files and manifest of the folders written first (output_folder.hpp)
  const std::atomic<bool>* stop = nullptr;  // the signal flag, while a command runs replications
};

/// The whole number given for option `name` (a string option; its default
/// if not given) when it lies in [lo, hi]. Throws UsageError naming the
/// option and the range otherwise (not a number, out of range, too large
/// for any integer type).
long long whole_number_option(const po::variables_map& vm, const std::string& name, long long lo, long long hi);

/// The --out folder if given. Throws UsageError when it is given empty
/// (`-o ""` would otherwise write into the working directory).
std::optional<std::string> out_option(const po::variables_map& vm);

/// Adds --seed, --replications, --out, --record, --threads, --set, --quiet, --progress-every, --overwrite. Never
/// throws (but std::bad_alloc).
void add_run_options(po::options_description& opts, const char* default_record);

/// Reads and checks the options of add_run_options. Throws UsageError.
RunSettings run_settings(const po::variables_map& vm);

/// Creates `dir` (and parents) and checks it is writable. Throws UsageError.
void make_output_dir(const std::string& dir);

/// Creates `dir` like make_output_dir and takes its folder lock for as long
/// as the result lives, so a second command writing there refuses at once.
/// Throws UsageError (also when another command holds the folder).
[[nodiscard]] std::unique_ptr<output::FolderLock> claim_output_dir(
    const std::string& dir, output::FolderLock::Mode mode = output::FolderLock::Mode::exclusive,
    const std::string& lock_name = ".traineesim.lock");

/// After a signal stopped a command: says what was kept and what was not.
/// Returns the exit status, 128 + the signal number.
int report_stopped(const std::string& command, const std::vector<batch::FileRun>& done, std::ostream& err);

/// Prints the failed replications; true if any failed. Throws what the stream throws.
bool report_failures(const std::vector<batch::FileRun>& done, std::ostream& err);

/// Prints the scenario's plausibility warnings, "file:line:column: warning: ...".
void print_warnings(const scenario::LoadedScenario& loaded, std::ostream& err);

/// Output above this many bytes in all gets a warning before the run.
inline constexpr double kLargeOutputBytes = 2e9;

/// Scenarios about to run, and how many runs of each.
using PlannedRuns = std::vector<std::pair<const model::ScenarioSpec*, std::uint64_t>>;

/// Before the runs, `threads` at once: the estimated output size and peak
/// memory (batch::estimate_run, `lean_memory` as --lean-memory; people and
/// events per person are means over the runs, memory the process's base
/// and the largest run's times the threads) on `out`, and on
/// `err` a warning when the output is above kLargeOutputBytes (with what a
/// lighter record level would write) or the memory above half of
/// `physical_memory` bytes (0: unknown, no memory warning).
void print_estimate(const PlannedRuns& runs, model::RecordLevel level, bool lean_memory, std::size_t threads,
                    double physical_memory, std::ostream& out, std::ostream& err);

/// The machine's physical memory in bytes, 0 if unknown. Never throws.
[[nodiscard]] double physical_memory_bytes() noexcept;

/// Prints a warning when fewer threads started than asked (batch::ReplicationPool).
void report_thread_error(const std::string& thread_error, std::ostream& err);

}  // namespace tsim::app
