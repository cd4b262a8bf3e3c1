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

/// The `--set` overrides given. Never throws (but std::bad_alloc).
std::vector<scenario::Override> overrides_of(const po::variables_map& vm);

/// The `--policy` files given, in order. Never throws (but std::bad_alloc).
std::vector<std::string> policies_of(const po::variables_map& vm);

/// The --set overrides, with every `policy.<name>.<key>` one checked to name
/// a policy given with --policy (policy_overrides.hpp). Throws core::InputError.
std::vector<scenario::Override> checked_overrides(const po::variables_map& vm);

/// Bytes for people: "1.2 MiB", "3.4 KiB", "12 B". Never throws (but std::bad_alloc).
std::string human_bytes(std::uint64_t bytes);

/// Progress: a line redrawn in place on a terminal; otherwise plain lines at
/// most every 10 seconds, which suits batch logs.
class Progress {
 public:
  Progress(std::ostream& err, bool terminal) : err_(err), terminal_(terminal), last_(Clock::now()) {}
  /// Replication `rep` (0-based) of `reps` has done `fraction` (0..1) of its simulated time.
  void update(std::uint32_t rep, std::uint32_t reps, double fraction);
  /// Clears the redrawn line.
  void done();

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream& err_;
  bool terminal_;
  Clock::time_point last_;
};

/// Options shared by run and compare.
struct RunSettings {
  std::uint32_t seed = 1;
  std::uint32_t reps = 1;
  std::size_t threads = 1;  // already capped at reps
  model::RecordLevel level = model::RecordLevel::full;
  std::string record = "full";
  bool quiet = false;
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

/// Adds --seed, --replications, --out, --record, --threads, --set, --quiet, --overwrite. Never throws (but std::bad_alloc).
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

/// Prints a warning when fewer threads started than asked (batch::ReplicationPool).
void report_thread_error(const std::string& thread_error, std::ostream& err);

}  // namespace tsim::app
