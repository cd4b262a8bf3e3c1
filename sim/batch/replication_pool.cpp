#include "sim/batch/replication_pool.hpp"

#include <algorithm>
#include <exception>
#include <mutex>
#include <vector>

namespace tsim::batch {

ReplicationPool::ReplicationPool(std::size_t threads, Spawner spawn)
    : threads_(std::max<std::size_t>(1, threads)), spawn_(std::move(spawn)) {
  if (!spawn_) spawn_ = [](std::function<void()> f) { return std::thread(std::move(f)); };
}

ReplicationPool::Report ReplicationPool::run(std::size_t items, const std::function<void(std::size_t)>& work,
                                             const std::atomic<bool>* stop) const {
  Report report;
  if (items == 0) return report;
  std::atomic<std::size_t> next{0}, started{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;  // guards `error`
  std::exception_ptr error;
  auto worker = [&] {
    while (!failed.load() && !(stop && stop->load())) {
      const std::size_t i = next++;
      if (i >= items) return;
      ++started;
      try {
        work(i);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(mutex);
        if (!error) error = std::current_exception();
        failed.store(true);
      }
    }
  };
  std::vector<std::thread> pool;
  const std::size_t wanted = std::min(threads_, items);
  pool.reserve(wanted - 1);  // so no started thread is lost to a failed push_back
  for (std::size_t t = 1; t < wanted; ++t) {
    try {
      pool.push_back(spawn_(worker));
    } catch (const std::exception& e) {  // std::system_error from std::thread
      report.thread_error = e.what();     // carry on with the threads we have
      break;
    }
  }
  report.threads = pool.size() + 1;
  worker();
  for (auto& t : pool) t.join();
  report.items_run = started.load();
  if (error) std::rethrow_exception(error);
  return report;
}

}  // namespace tsim::batch
