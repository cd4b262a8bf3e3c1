#include "sim/app/stop_signal.hpp"

#include <csignal>

namespace tsim::app {

namespace {
std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};
extern "C" void on_signal(int sig) {
  g_signal.store(sig);
  g_stop.store(true);
}
}  // namespace

std::atomic<bool>& stop_flag() noexcept { return g_stop; }
int stop_signal() noexcept { return g_signal.load(); }
std::string signal_name(int sig) {
  if (sig == SIGINT) return "SIGINT";
  if (sig == SIGTERM) return "SIGTERM";
  return "signal " + std::to_string(sig);
}

void reset_stop_flag() noexcept {
  g_stop.store(false);
  g_signal.store(0);
}

StopOnSignals::StopOnSignals()
    : previous_int_(std::signal(SIGINT, on_signal)), previous_term_(std::signal(SIGTERM, on_signal)) {}

StopOnSignals::~StopOnSignals() {
  std::signal(SIGINT, previous_int_ == SIG_ERR ? SIG_DFL : previous_int_);
  std::signal(SIGTERM, previous_term_ == SIG_ERR ? SIG_DFL : previous_term_);
}

}  // namespace tsim::app
