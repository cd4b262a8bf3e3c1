#include "sim/core/event_queue.hpp"

#include <gtest/gtest.h>

#include <random>

using namespace tsim::core;

TEST(EventQueue, OrdersByTimeThenPriorityThenInsertion) {
  EventQueue q;
  q.push(5.0, 20, 1, 0, 0);
  q.push(5.0, 10, 2, 0, 0);
  q.push(1.0, 30, 3, 0, 0);
  q.push(5.0, 10, 4, 0, 0);
  q.push(5.0, 20, 5, 0, 0);
  std::vector<std::uint32_t> order;
  while (!q.empty()) order.push_back(q.pop().target);
  EXPECT_EQ(order, (std::vector<std::uint32_t>{3, 2, 4, 1, 5}));
}

TEST(EventQueue, MatchesAStableSortOnRandomInput) {
  // Heap order must equal a stable sort by (time, priority): ties keep insertion order.
  std::mt19937_64 gen(42);  // test input only; never used inside the simulator
  EventQueue q;
  std::vector<std::tuple<double, int, std::uint32_t>> ref;
  for (std::uint32_t i = 0; i < 20000; ++i) {
    const double t = static_cast<double>(gen() % 100);
    const int p = static_cast<int>(gen() % 3);
    q.push(t, static_cast<Priority>(p), i, 0, 0);
    ref.emplace_back(t, p, i);
  }
  std::stable_sort(ref.begin(), ref.end(), [](auto& a, auto& b) {
    return std::get<0>(a) < std::get<0>(b) || (std::get<0>(a) == std::get<0>(b) && std::get<1>(a) < std::get<1>(b));
  });
  for (const auto& r : ref) {
    const Event e = q.pop();
    ASSERT_EQ(e.target, std::get<2>(r));
  }
}

TEST(EventQueue, CarriesPayload) {
  EventQueue q;
  q.push(2.5, 7, 11, 12, 13);
  const Event e = q.top();
  EXPECT_EQ(e.time, 2.5);
  EXPECT_EQ(e.priority(), 7);
  EXPECT_EQ(e.sequence(), 0u);
  EXPECT_EQ(e.tag, 12u);
  EXPECT_EQ(e.version, 13u);
}

// The calendar queue against a plain binary heap, with pushes while popping
// (same day, next days, and far beyond the bucket window) and equal times.
TEST(EventQueue, MatchesABinaryHeapWhenInterleaved) {
  std::mt19937_64 gen(7);  // test input only
  EventQueue q;
  std::vector<Event> ref;
  auto later = [](const Event& a, const Event& b) { return runs_before(b, a); };
  std::uint64_t seq = 0;
  auto push = [&](double t, Priority p, std::uint32_t target) {
    q.push(t, p, target, 0, 0);
    ref.push_back(Event{t, (std::uint64_t{p} << 56) | seq++, target, 0, 0});
    std::push_heap(ref.begin(), ref.end(), later);
  };
  std::uint32_t id = 0;
  for (int i = 0; i < 2000; ++i) push(static_cast<double>(gen() % 50000) + 0.25, 20, id++);
  double now = 0;
  for (int step = 0; step < 200000 && !ref.empty(); ++step) {
    std::pop_heap(ref.begin(), ref.end(), later);
    const Event want = ref.back();
    ref.pop_back();
    const Event got = q.pop();
    ASSERT_EQ(got.target, want.target) << "step " << step;
    ASSERT_EQ(got.time, want.time);
    now = got.time;
    const auto r = gen() % 10;
    if (r < 3) push(now, static_cast<Priority>(gen() % 3), id++);                                // same time
    if (r < 6) push(now + static_cast<double>(gen() % 1000) / 997.0, 20, id++);                  // same or next day
    if (r == 7) push(now + 20000 + static_cast<double>(gen() % 100000), 20, id++);               // beyond the window
    if (r == 8) push(std::floor(now) + 1, 10, id++);                                             // exactly a day boundary
  }
  EXPECT_EQ(q.size(), ref.size());
}

// ahead(k) names the event that pops k places after the next one, as long as
// nothing is added to the current day; past the day's end it gives nothing.
TEST(EventQueue, AheadNamesAnEventOfTheCurrentDay) {
  EventQueue q;
  for (std::uint32_t i = 0; i < 6; ++i) q.push(3.0 + 0.1 * i, 0, 10 + i, 0, 0);  // all on day 3
  q.push(4.5, 0, 99, 0, 0);
  (void)q.top();  // the day's bucket becomes current
  ASSERT_NE(q.ahead(2), nullptr);
  EXPECT_EQ(q.ahead(2)->target, 12u);
  EXPECT_EQ(q.pop().target, 10u);
  EXPECT_EQ(q.ahead(4)->target, 15u);
  EXPECT_EQ(q.ahead(5), nullptr);  // day 4's event is not in the current bucket yet
}

// clear() drops everything pending (today's bucket, later buckets, the side
// heap and the overflow beyond the window) and the queue works on after it.
TEST(EventQueue, ClearDropsEverythingAndTheQueueWorksOn) {
  EventQueue q;
  q.push(1.0, 0, 1, 0, 0);
  q.push(1.5, 0, 2, 0, 0);
  q.push(40.0, 0, 3, 0, 0);
  q.push(1e9, 0, 4, 0, 0);  // beyond the window: overflow
  EXPECT_EQ(q.pop().target, 1u);
  q.push(1.25, 0, 5, 0, 0);  // the current day's side heap
  q.clear();
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.size(), 0u);
  q.push(50.0, 0, 7, 0, 0);
  q.push(45.0, 0, 6, 0, 0);
  q.push(2e9, 0, 8, 0, 0);
  // Anything left behind (5 today, 2 and 3 in buckets, 4 in the overflow)
  // would come out before these.
  EXPECT_EQ(q.pop().target, 6u);
  EXPECT_EQ(q.pop().target, 7u);
  EXPECT_EQ(q.pop().target, 8u);
  EXPECT_TRUE(q.empty());
}
