#include "sim/batch/replication_pool.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <mutex>
#include <set>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

using tsim::batch::ReplicationPool;

// Each item runs exactly once and computes the same thing for any thread count.
TEST(ReplicationPool, EveryItemOnceWhateverTheThreads) {
  std::vector<std::uint64_t> reference;
  for (std::size_t threads : {1u, 2u, 3u, 8u}) {
    std::vector<std::uint64_t> out(50, 0);
    std::vector<int> calls(50, 0);
    const auto report = ReplicationPool(threads).run(50, [&](std::size_t i) {
      ++calls[i];
      out[i] = i * i + 7;  // each item owns its slot: no lock needed
    });
    EXPECT_EQ(report.items_run, 50u);
    EXPECT_EQ(report.threads, threads);
    EXPECT_EQ(calls, std::vector<int>(50, 1)) << threads << " threads";
    if (reference.empty()) reference = out;
    EXPECT_EQ(out, reference) << threads << " threads";
  }
}

TEST(ReplicationPool, NeverMoreThreadsThanItems) {
  std::mutex m;
  std::set<std::thread::id> ids;
  const auto report = ReplicationPool(16).run(3, [&](std::size_t) {
    const std::lock_guard<std::mutex> lock(m);
    ids.insert(std::this_thread::get_id());
  });
  EXPECT_EQ(report.threads, 3u);
  EXPECT_LE(ids.size(), 3u);
  EXPECT_EQ(ReplicationPool(4).run(0, [](std::size_t) {}).threads, 0u);
  EXPECT_EQ(ReplicationPool(0).max_threads(), 1u);
}

// The stop flag is checked between items: on one thread, items run in order
// and none starts after the flag is set.
TEST(ReplicationPool, StopFlagEndsBetweenItems) {
  std::atomic<bool> stop{false};
  std::vector<std::size_t> ran;
  const auto report = ReplicationPool(1).run(
      10,
      [&](std::size_t i) {
        ran.push_back(i);
        if (i == 3) stop = true;
      },
      &stop);
  EXPECT_EQ(ran, (std::vector<std::size_t>{0, 1, 2, 3}));
  EXPECT_EQ(report.items_run, 4u);
}

// A thread that cannot start (EAGAIN at the process's thread limit) must not
// abort the program: the items run on the threads that did start.
TEST(ReplicationPool, ThreadCreationFailureCarriesOnWithFewerThreads) {
  int spawned = 0;
  ReplicationPool::Spawner spawner = [&](std::function<void()> f) {
    if (spawned++ >= 1) throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
    return std::thread(std::move(f));
  };
  std::vector<int> calls(20, 0);
  const auto report = ReplicationPool(4, spawner).run(20, [&](std::size_t i) { ++calls[i]; });
  EXPECT_EQ(report.threads, 2u);  // the calling thread and the one that started
  EXPECT_FALSE(report.thread_error.empty());
  EXPECT_EQ(calls, std::vector<int>(20, 1));
}

TEST(ReplicationPool, WorkExceptionIsRethrownAfterJoining) {
  // One thread: exactly items 0..5 run, then nothing new starts.
  std::atomic<int> calls{0};
  EXPECT_THROW(ReplicationPool(1).run(100,
                                      [&](std::size_t i) {
                                        ++calls;
                                        if (i == 5) throw std::runtime_error("item 5");
                                      }),
               std::runtime_error);
  EXPECT_EQ(calls.load(), 6);
  // Three threads: the others finish the items they hold and take no more.
  // Each item takes 2 ms, so 100 items need ~65 ms on 3 threads; the failure
  // is seen within microseconds.
  calls = 0;
  EXPECT_THROW(ReplicationPool(3).run(100,
                                      [&](std::size_t i) {
                                        ++calls;
                                        if (i == 5) throw std::runtime_error("item 5");
                                        std::this_thread::sleep_for(std::chrono::milliseconds(2));
                                      }),
               std::runtime_error);
  EXPECT_LT(calls.load(), 100);
}
