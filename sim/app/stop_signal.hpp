// SIGINT/SIGTERM -> a stop flag that running sweeps poll, so a sweep stopped
// by Slurm or Ctrl-C ends cleanly (no partial file under a final name) and
// can be resumed. A signal handler can only reach static storage: this flag
// (and the number of the signal that set it) is the one piece of
// process-wide state in the program.
#pragma once

#include <atomic>
#include <string>

namespace tsim::app {

/// The flag the handlers set; pass it as the stop flag of batch runs.
[[nodiscard]] std::atomic<bool>& stop_flag() noexcept;

/// The signal that set the flag (0 if none).
[[nodiscard]] int stop_signal() noexcept;

/// "SIGINT", "SIGTERM" or "signal N".
[[nodiscard]] std::string signal_name(int sig);

/// Clears the flag and the signal: done at the start of every command, so
/// several commands can run in one process (tests do).
void reset_stop_flag() noexcept;

/// While alive, SIGINT and SIGTERM set the flag instead of killing the
/// process; the previous handlers come back on destruction.
class StopOnSignals {
 public:
  StopOnSignals();
  ~StopOnSignals();
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;

 private:
  void (*previous_int_)(int);
  void (*previous_term_)(int);
};

}  // namespace tsim::app
