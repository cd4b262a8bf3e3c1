// Pools on small scenarios whose every event can be written down by hand.
#include "sim/model/pools.hpp"

#include <gtest/gtest.h>

#include <queue>
#include <set>
#include <vector>

#include "tests/support/run_memory.hpp"
#include "tests/support/scenario_text.hpp"

using namespace tsim;

namespace {

// Two supervisors with 2 slots each leave on day 365. The early one starts
// providing on day 0 and takes both trainees recruited on day 10; the late
// one starts providing on day 100 and has both slots free.
const char* kSameInstant = R"toml(
[scenario]
name = "same-instant"
start_date = 2020-01-01
horizon_years = 3
census = { every = "year" }
[pools.sup]
granted_event = "granted"
lost_event = "lost"
[states.trainee]
kind = "training"
needs = "sup"
[states.sup_early]
kind = "post"
provides = { pool = "sup", slots = 2 }
[states.sup_late]
kind = "post"
provides = { pool = "sup", slots = 2, after_days_in_state = 100 }
[states.done]
kind = "exit"
[states.gone]
kind = "exit"
[stock.early]
state = "sup_early"
count = 1
[stock.late]
state = "sup_late"
count = 1
[routes.r]
enters = "trainee"
intake = { first_day = 10, places = 2 }
[[transitions]]
from = "sup_early"
after_days = 365
to = "gone"
[[transitions]]
from = "sup_late"
after_days = 365
to = "gone"
[[transitions]]
from = "trainee"
after_years = 2
to = "done"
)toml";

}  // namespace

// When the early supervisor leaves, the late one (leaving at the same instant)
// must not take the trainees for zero days: no grant/lost pair at day 365, and
// the period's grants are the two real ones (wait 0 on day 10).
TEST(Pools, SupervisorsLeavingAtOneInstantDoNotHandOverForZeroDays) {
  const auto l = test::load(kSameInstant);
  const auto s = test::run_in_memory(l);
  const int granted = l.spec.event_index("granted"), lost = l.spec.event_index("lost");
  std::vector<std::pair<int, int>> at_365;  // (event, person)
  for (const auto& e : test::events(s))
    if (e.day == 365.0) at_365.emplace_back(e.event, e.person_id);
  // Order within the instant: each departure, then the slots it took away.
  ASSERT_EQ(at_365.size(), 4u);
  EXPECT_EQ(at_365[0].second, 0);  // the early supervisor leaves...
  EXPECT_EQ(at_365[1].first, lost);  // ...and both trainees lose their slot
  EXPECT_EQ(at_365[2].first, lost);
  EXPECT_EQ(at_365[3].second, 1);  // then the late supervisor leaves; nothing was granted
  for (const auto& [event, person] : at_365) EXPECT_NE(event, granted) << "person " << person;
  const auto& pools = s.pools();
  EXPECT_EQ(pools[model::cols::pools::granted][0], 2);
  EXPECT_EQ(pools[model::cols::pools::queue_length][0], 2);  // both wait from day 365
}

// A released slot is granted after the departure that released it, in the
// same instant, so /events reads in cause-then-effect order.
TEST(Pools, AGrantIsListedAfterTheDepartureThatFreedItsSlot) {
  const auto l = test::load(R"toml(
[scenario]
name = "order"
start_date = 2020-01-01
horizon_years = 2
[pools.sup]
capacity = 1
granted_event = "granted"
[states.trainee]
kind = "training"
needs = "sup"
[states.done]
kind = "exit"
[routes.r]
enters = "trainee"
intake = { first_day = 0, places = 2 }
[[transitions]]
from = "trainee"
after_days = 100
to = "done"
)toml");
  const auto s = test::run_in_memory(l);
  const int granted = l.spec.event_index("granted");
  std::vector<test::EventRow> at_100;
  for (const auto& e : test::events(s))
    if (e.day == 100.0) at_100.push_back(e);
  ASSERT_EQ(at_100.size(), 2u);
  EXPECT_EQ(at_100[0].person_id, 0);  // the first trainee finishes...
  EXPECT_NE(at_100[0].event, granted);
  EXPECT_EQ(at_100[1].person_id, 1);  // ...then the second is granted the slot
  EXPECT_EQ(at_100[1].event, granted);
}

// The split queue (FIFO for keys that arrive in order, heap for the rest)
// must pop exactly what one min-heap of every entry pops, whatever the mix of
// in-order joins, early rejoins and pops.
TEST(JoinQueue, PopsWhatAMinHeapPops) {
  model::JoinQueue q;
  std::priority_queue<model::JoinQueue::Entry, std::vector<model::JoinQueue::Entry>, std::greater<>> heap;
  std::uint64_t next = 1000;  // the join sequence; rejoins reuse a smaller key
  std::set<std::uint64_t> used;
  std::uint32_t state = 12345;
  auto random = [&] { return state = state * 1664525u + 1013904223u; };
  for (int step = 0; step < 20000; ++step) {
    const std::uint32_t r = random() >> 8;
    if (r % 3 == 0 && !heap.empty()) {
      ASSERT_EQ(q.top(), heap.top()) << "step " << step;
      q.pop();
      heap.pop();
      continue;
    }
    // Some rejoin below the sequence so far; keys are unique, as in a pool.
    std::uint64_t key = r % 5 == 1 ? (r >> 4) % next : next++;
    while (!used.insert(key).second) key = next++;
    const auto id = static_cast<std::uint32_t>(step);
    q.push(key, id);
    heap.emplace(key, id);
  }
  while (!heap.empty()) {
    ASSERT_FALSE(q.empty());
    ASSERT_EQ(q.top(), heap.top());
    q.pop();
    heap.pop();
  }
  EXPECT_TRUE(q.empty());
}
