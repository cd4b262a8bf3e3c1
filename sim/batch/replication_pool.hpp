// Runs N independent work items (replications, sweep runs) on T threads.
// Each item is single-threaded and owns its output, and items are handed out
// in index order from one counter, so what an item computes never depends on
// T: only when it runs does.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <thread>

namespace tsim::batch {

class ReplicationPool {
 public:
  /// Starts one worker thread. Tests inject one that fails; the default is std::thread.
  using Spawner = std::function<std::thread(std::function<void()>)>;

  /// What a call to run() did.
  struct Report {
    std::size_t threads = 0;   // threads that worked, the calling thread included
    std::size_t items_run = 0; // items whose work was called (fewer than asked when stopped)
    std::string thread_error;  // why fewer threads started than asked ("" if all did)
  };

  /// `threads`: the most threads to use (0 counts as 1); never more than
  /// there are items. Starts nothing yet. Never throws (but std::bad_alloc).
  explicit ReplicationPool(std::size_t threads, Spawner spawn = {});

  /// Calls work(i) once for each i in 0..items-1, on the calling thread and
  /// up to threads-1 more. `stop` (may be null) is checked before each item:
  /// once it is true no new item starts (pass the same flag to
  /// model::RunOptions::stop to end running items too).
  ///
  /// If a thread cannot be created (std::system_error from std::thread, e.g.
  /// the process is at its thread limit), the items run on the threads that
  /// did start, always at least the calling one, and Report::thread_error
  /// says why: the results are the same, only slower. Throws whatever `work`
  /// throws (the first exception, after every started item has returned; no
  /// new item starts once one has thrown).
  Report run(std::size_t items, const std::function<void(std::size_t)>& work,
             const std::atomic<bool>* stop = nullptr) const;

  [[nodiscard]] std::size_t max_threads() const noexcept { return threads_; }

 private:
  std::size_t threads_;
  Spawner spawn_;
};

}  // namespace tsim::batch
