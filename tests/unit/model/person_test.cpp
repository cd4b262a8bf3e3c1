// People (sim/model/person.hpp): leavers' slots go to newcomers, ids never
// repeat, and a slot still listed among a pool's providers waits until the
// pool lets go of it.
#include "sim/model/person.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace tsim;

namespace {

constexpr std::uint8_t kLevels[2] = {1, 0};

model::Person at(int state, std::int32_t fte_units = 1'000'000) {
  model::Person p;
  p.state = static_cast<std::int16_t>(state);
  p.fte_units = fte_units;
  return p;
}

// Someone in state 2 (an exit state here) leaves slot `slot`.
void leave(model::People& people, std::uint32_t slot) {
  people[slot].state = 2;
  ++people[slot].version;  // as Run does: their pending event is stale
  people.release(slot);
}

}  // namespace

TEST(People, LeaversSlotsGoToNewcomersWithNewIds) {
  model::People people(2, false);
  people.reserve(8, 8);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(people.add(at(0), {}, kLevels), static_cast<std::uint32_t>(i));
  people[1].version = 41;
  leave(people, 1);
  EXPECT_EQ(people[1].state, -1);
  EXPECT_EQ(people.departed(2), 1);
  const std::uint32_t slot = people.add(at(1, 500'000), {}, kLevels);
  EXPECT_EQ(slot, 1u);                 // the leaver's slot
  EXPECT_EQ(people.id(slot), 3u);      // a new id
  EXPECT_EQ(people[slot].version, 43u);  // past the leaver's: their events stay stale
  EXPECT_EQ(people[slot].state, 1);
  EXPECT_EQ(people.slots(), 3u);
  EXPECT_EQ(people.created(), 4u);
}

namespace {

// A visited row: what for_each_row hands over, copied.
struct Row {
  std::uint32_t id;
  model::PersonRecord r;
  std::uint8_t level0;
};

std::vector<Row> rows_of(const model::People& people) {
  std::vector<Row> out;
  people.for_each_row([&](std::uint32_t id, const model::PersonRecord& r, const std::uint8_t* levels) {
    out.push_back({id, r, levels[0]});
  });
  return out;
}

}  // namespace

TEST(People, RowsByIdOutliveTheSlot) {
  for (const bool reuse : {true, false}) {
    SCOPED_TRACE(reuse ? "with reuse" : "without reuse");
    model::People people(2, false, true, reuse);
    people.reserve(4, 4);
    model::PersonRecord r;
    r.base.entry_day = 7;
    constexpr std::uint8_t kOther[2] = {0, 1};
    people.add(at(0, 250'000), r, kOther);
    people.milestones(0)->qualified_day = 9;
    leave(people, 0);
    r.base.entry_day = 11;
    const std::uint32_t slot = people.add(at(0, 750'000), r, kLevels);
    EXPECT_EQ(slot, reuse ? 0u : 1u);
    people.milestones(slot)->qualified_day = 12;
    people.final_fte();
    EXPECT_EQ(people.leaver_rows().size(), reuse ? 1u : 0u);  // the newcomer moved the leaver's row to the store
    people.finish(people.slots_by_id());
    const std::vector<Row> rows = rows_of(people);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].id, 0u);
    EXPECT_EQ(rows[0].r.base.entry_day, 7);
    EXPECT_EQ(rows[0].r.qualified_day, 9);
    EXPECT_EQ(rows[0].r.base.fte_units, 250'000);  // FTE on leaving
    EXPECT_EQ(rows[0].level0, 0);
    EXPECT_EQ(rows[1].id, 1u);
    EXPECT_EQ(rows[1].r.base.entry_day, 11);
    EXPECT_EQ(rows[1].r.qualified_day, 12);
    EXPECT_EQ(rows[1].r.base.fte_units, 750'000);  // FTE at the end
    EXPECT_EQ(rows[1].level0, 1);
    EXPECT_EQ(people.basics(slot).entry_day, 11);  // the slot's present occupant
  }
}

// Many people leaving in an order unrelated to their ids, newcomers in their
// slots: the rows come back in id order, leavers' and present people's
// interleaved, each with its own fields and levels.
TEST(People, LeaversAndPresentRowsMergeInIdOrder) {
  model::People people(1, false, true, true);
  people.reserve(64, 4096);
  std::vector<std::uint32_t> slot_of;
  std::vector<double> exit_of(3000, -1);  // -1: still present
  std::uint32_t draw = 12345;
  auto rnd = [&] { return draw = draw * 1103515245u + 12345u, (draw >> 8); };
  for (std::uint32_t id = 0; id < 3000; ++id) {
    model::PersonRecord r;
    r.base.entry_day = id;
    r.base.route = static_cast<std::int32_t>(id % 7);
    const std::uint8_t level = static_cast<std::uint8_t>(id % 5);
    slot_of.push_back(people.add(at(0, static_cast<std::int32_t>(id)), r, &level));
    // Someone present at random leaves about every other arrival.
    if (rnd() % 2 == 0) {
      const std::uint32_t victim = rnd() % (id + 1);
      if (people[slot_of[victim]].state == 0 && people.id(slot_of[victim]) == victim) {
        people.milestones(slot_of[victim])->exit_day = id + 0.5;
        exit_of[victim] = id + 0.5;
        leave(people, slot_of[victim]);
      }
    }
  }
  people.final_fte();
  const std::size_t slots = people.slots();
  people.finish(people.slots_by_id());
  const std::vector<Row> rows = rows_of(people);
  ASSERT_EQ(rows.size(), 3000u);
  EXPECT_GT(people.leaver_rows().size(), 500u);
  EXPECT_LT(slots, 3000u);
  EXPECT_EQ(people.slots(), slots);
  for (std::uint32_t id = 0; id < 3000; ++id) {
    ASSERT_EQ(rows[id].id, id);
    EXPECT_EQ(rows[id].r.base.entry_day, id);
    EXPECT_EQ(rows[id].r.base.route, static_cast<std::int32_t>(id % 7));
    EXPECT_EQ(rows[id].r.base.fte_units, static_cast<std::int32_t>(id));
    EXPECT_EQ(rows[id].level0, id % 5);
    if (exit_of[id] < 0) EXPECT_TRUE(std::isnan(rows[id].r.exit_day));
    else EXPECT_EQ(rows[id].r.exit_day, exit_of[id]);
  }
}

TEST(People, SlotListedByAPoolWaitsUntilUnlisted) {
  model::People people(2, true);
  people.reserve(4, 4);
  people.add(at(0), {}, kLevels);
  people.add(at(0), {}, kLevels);
  people.links(0).in_free_stack = true;  // a provider the pool still lists
  leave(people, 0);
  EXPECT_TRUE(people[0].has(model::Person::kGone));
  EXPECT_EQ(people.add(at(0), {}, kLevels), 2u);  // not slot 0 yet
  people.links(0).in_free_stack = false;
  people.unlisted(0);
  EXPECT_FALSE(people[0].has(model::Person::kGone));
  const std::uint32_t slot = people.add(at(0), {}, kLevels);
  EXPECT_EQ(slot, 0u);
  EXPECT_FALSE(people.links(slot).in_free_stack);
  people.unlisted(1);  // someone present: nothing happens
  EXPECT_EQ(people.add(at(0), {}, kLevels), 3u);
}

TEST(People, WithoutReuseEverySlotIsNew) {
  model::People people(2, false, true, false);
  people.reserve(4, 4);
  people.add(at(0), {}, kLevels);
  leave(people, 0);
  EXPECT_EQ(people.add(at(0), {}, kLevels), 1u);
  EXPECT_EQ(people.departed(2), 1);
}
