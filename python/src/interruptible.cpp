#include "python/src/interruptible.hpp"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <pybind11/pybind11.h>
#include <thread>

namespace py = pybind11;

namespace tsim::python {

namespace {

// The worker thread and what it left behind. The destructor stops and joins
// it, so no path out of run_interruptible leaves it running.
class Worker {
 public:
  explicit Worker(const std::function<void(const std::atomic<bool>&)>& body)
      : thread_([this, &body] {
          try {
            body(stop_);
          } catch (...) {
            error_ = std::current_exception();
          }
          const std::lock_guard<std::mutex> lock(mutex_);
          done_ = true;
          finished_.notify_all();
        }) {}

  ~Worker() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
  }

  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Waits up to `slice`; true once body has returned.
  bool wait_for(std::chrono::milliseconds slice) {
    std::unique_lock<std::mutex> lock(mutex_);
    return finished_.wait_for(lock, slice, [this] { return done_; });
  }

  // Asks body to stop and waits for it; what it threw is dropped.
  void stop_and_join() {
    stop_.store(true);
    thread_.join();
  }

  // Waits for body (already done) and rethrows what it threw.
  void join_and_rethrow() {
    thread_.join();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable finished_;
  bool done_ = false;
  std::exception_ptr error_;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace

void run_interruptible(const std::function<void(const std::atomic<bool>& stop)>& body) {
  Worker worker(body);
  for (;;) {
    bool done = false;
    {
      const py::gil_scoped_release release;
      done = worker.wait_for(kSignalCheckInterval);
    }
    if (done) break;
    if (PyErr_CheckSignals() != 0) {
      // Keep the Python error aside while the workers wind down.
      py::error_already_set interrupted;
      {
        const py::gil_scoped_release release;
        worker.stop_and_join();
      }
      throw interrupted;
    }
  }
  const py::gil_scoped_release release;  // joining a finished thread is quick, but never hold the GIL on it
  worker.join_and_rethrow();
}

}  // namespace tsim::python
