// Long C++ work under Python: it runs on its own thread while the calling
// (Python) thread waits with the GIL released, waking every few tens of
// milliseconds to let Python run its signal handlers. Ctrl-C then stops the
// work cleanly (the stop flag ends running replications with core::Cancelled)
// and surfaces as KeyboardInterrupt once every thread has finished.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>

namespace tsim::python {

/// How often the waiting thread checks for signals.
inline constexpr std::chrono::milliseconds kSignalCheckInterval{50};

/// Runs body(stop) on a new thread and waits for it; call with the GIL held.
/// body must not touch Python objects. Between waits it calls
/// PyErr_CheckSignals(); when a signal handler raises (KeyboardInterrupt on
/// Ctrl-C) it sets `stop`, waits for body to return, discards what body
/// threw (core::Cancelled) and throws pybind11::error_already_set with the
/// Python error. Otherwise rethrows whatever body threw, after it returned.
/// Throws std::system_error if the thread cannot be started. No thread is
/// left running when this returns or throws.
void run_interruptible(const std::function<void(const std::atomic<bool>& stop)>& body);

}  // namespace tsim::python
