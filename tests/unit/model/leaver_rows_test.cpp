// LeaverRows (sim/model/leaver_rows.hpp): rows added in any order come back
// in id order, every byte as added, across runs, blocks and the open buffer.
#include "sim/model/leaver_rows.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

using namespace tsim;

namespace {

model::PersonRecord row_for(std::uint32_t id) {
  model::PersonRecord r;
  r.base.entry_day = id * 0.25 - 100;
  r.base.age_at_entry = 20 + id % 40;
  r.base.route = static_cast<std::int32_t>(id % 3) - 1;
  r.base.fte_units = static_cast<std::int32_t>(id * 7);
  if (id % 2 == 0) r.exit_day = id + 0.125;  // the rest stay NaN
  if (id % 3 == 0) r.qualified_day = -static_cast<double>(id);
  r.exit_state = static_cast<std::int16_t>(id % 11);
  r.training_state = static_cast<std::int16_t>(-1 - static_cast<int>(id % 2));
  return r;
}

// Adds `n` rows with ids 0..n-1 in a shuffled order, reads them back and
// checks order, bytes and levels.
void round_trip(std::size_t n, std::size_t run_rows, std::size_t block_rows, std::size_t attrs) {
  SCOPED_TRACE(testing::Message() << n << " rows, runs of " << run_rows << ", blocks of " << block_rows << ", "
                                  << attrs << " attributes");
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::shuffle(order.begin(), order.end(), std::mt19937(42));
  model::LeaverRows store(attrs, run_rows, block_rows);
  std::vector<std::uint8_t> levels(attrs);
  for (const std::uint32_t id : order) {
    for (std::size_t a = 0; a < attrs; ++a) levels[a] = static_cast<std::uint8_t>((id + a) % 251);
    store.add(id, row_for(id), levels.data());
  }
  EXPECT_EQ(store.size(), n);
  model::LeaverRows::Reader reader(store);
  std::uint32_t expected = 0;
  while (reader.next()) {
    ASSERT_EQ(reader.id(), expected);
    const model::PersonRecord want = row_for(expected);
    // Byte for byte, NaN payloads included.
    ASSERT_EQ(std::memcmp(&reader.row(), &want, sizeof want), 0) << "row " << expected;
    for (std::size_t a = 0; a < attrs; ++a) ASSERT_EQ(reader.levels()[a], (expected + a) % 251);
    ++expected;
  }
  EXPECT_EQ(expected, n);
  EXPECT_FALSE(reader.next());  // stays at the end
}

}  // namespace

TEST(LeaverRows, EmptyStoreReadsNothing) {
  model::LeaverRows store(2);
  model::LeaverRows::Reader reader(store);
  EXPECT_FALSE(reader.next());
}

TEST(LeaverRows, OpenBufferOnly) { round_trip(37, 64, 8, 2); }

TEST(LeaverRows, SeveralRunsAndBlocksMergeInIdOrder) {
  round_trip(1000, 64, 8, 2);      // 15 runs of 8 blocks, 40 rows still open
  round_trip(1024, 64, 8, 0);      // runs exactly full, nothing open, no attributes
  round_trip(1000, 100, 7, 3);     // a short last block in every run
  round_trip(5000, 1000, 1000, 1); // one block a run
}

TEST(LeaverRows, CompressesTheRows) {
  constexpr std::size_t n = 20000;
  model::LeaverRows store(1, 4096, 512);
  const std::uint8_t level = 1;
  for (std::uint32_t id = 0; id < n; ++id) store.add(id, row_for(id), &level);
  // 85 bytes a row added; the deflated runs hold these patterned rows in far
  // less (the bound leaves room for the open buffer's reserved capacity).
  EXPECT_LT(store.bytes(), n * 85 / 2);
}
