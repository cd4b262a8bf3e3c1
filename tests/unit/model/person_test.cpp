// People (sim/model/person.hpp): leavers' slots go to newcomers, ids never
// repeat, and a slot still listed among a pool's providers waits until the
// pool lets go of it.
#include "sim/model/person.hpp"

#include <gtest/gtest.h>

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

TEST(People, RowsByIdOutliveTheSlot) {
  model::People people(2, false);
  people.reserve(4, 4);
  model::PersonRecord r;
  r.base.entry_day = 7;
  people.add(at(0, 250'000), r, kLevels);
  people.milestones(0)->qualified_day = 9;
  leave(people, 0);
  r.base.entry_day = 11;
  EXPECT_EQ(people.add(at(0, 750'000), r, kLevels), 0u);
  people.milestones(0)->qualified_day = 12;
  people.final_fte();
  EXPECT_EQ(people.record(0).base.entry_day, 7);
  EXPECT_EQ(people.record(0).qualified_day, 9);
  EXPECT_EQ(people.record(0).base.fte_units, 250'000);  // FTE on leaving
  EXPECT_EQ(people.record(1).base.entry_day, 11);
  EXPECT_EQ(people.record(1).qualified_day, 12);
  EXPECT_EQ(people.record(1).base.fte_units, 750'000);  // FTE at the end
  EXPECT_EQ(people.record_attr(1, 0), 1);
  EXPECT_EQ(people.basics(0).entry_day, 11);  // the slot's present occupant
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
