// The randomness contract: each process has its own stream, so changing one
// process leaves every other draw alone (common random numbers), and the
// numbering of streams is pinned.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "sim/model/clocks.hpp"
#include "sim/model/run.hpp"
#include "tests/support/run_memory.hpp"
#include "tests/support/scenario_text.hpp"

using namespace tsim;

namespace {
using History = std::vector<std::tuple<double, int, int, int>>;  // day, event, from, to

std::map<int, History> histories(const model::MemorySink& s) {
  std::map<int, History> out;
  for (const auto& e : test::events(s)) out[e.person_id].emplace_back(e.day, e.event, e.from_state, e.to_state);
  return out;
}
}  // namespace

TEST(CommonRandomNumbers, ChangingTheExamDoesNotMoveAnyoneElsesLuck) {
  const auto path = test::source_path("scenarios/bench/pipeline.toml");
  const auto base = scenario::load_scenario_file(path, {{"parameters.cohort=2000"}});
  // Exam pass probability 0.85 -> 0.75 (the first transition is the exam).
  const auto changed = scenario::load_scenario_file(
      path, {{"parameters.cohort=2000"}, {"transitions.0.branch.0.p=0.75"}, {"transitions.0.branch.1.p=0.25"}});
  ASSERT_EQ(changed.spec.transitions[0].outcomes[0].p, 0.75);
  const auto a = histories(test::run_in_memory(base, 5));
  const auto b = histories(test::run_in_memory(changed, 5));
  ASSERT_EQ(a.size(), b.size());
  const int pass = base.spec.event_index("exam_pass");
  int same_outcome = 0, flipped = 0;
  for (const auto& [id, ha] : a) {
    const auto& hb = b.at(id);
    // Up to the exam nothing can differ: arrival, supervision, dropout draws.
    std::size_t exam = 0;
    while (exam < ha.size() && std::get<2>(ha[exam]) == base.spec.state_index("trainee") &&
           std::get<3>(ha[exam]) == std::get<2>(ha[exam]))
      ++exam;
    for (std::size_t i = 0; i < std::min({exam, ha.size(), hb.size()}); ++i) ASSERT_EQ(ha[i], hb[i]) << "person " << id;
    // The exam (or dropout) itself happens on the same day; only its outcome may differ.
    if (exam < ha.size() && exam < hb.size()) {
      ASSERT_EQ(std::get<0>(ha[exam]), std::get<0>(hb[exam])) << "person " << id;
    }
    const bool pass_a = std::any_of(ha.begin(), ha.end(), [&](auto& e) { return std::get<1>(e) == pass; });
    const bool pass_b = std::any_of(hb.begin(), hb.end(), [&](auto& e) { return std::get<1>(e) == pass; });
    if (pass_a == pass_b) {
      // Same exam outcome: promotions and leaving come from their own streams,
      // so the whole career is identical.
      EXPECT_EQ(ha, hb) << "person " << id;
      ++same_outcome;
    } else {
      ++flipped;
      EXPECT_TRUE(pass_a && !pass_b);  // a lower pass probability only turns passes into fails
    }
  }
  EXPECT_GT(same_outcome, 10000);
  // About (0.85 - 0.75) of those who sat the exam flip; at least some must.
  EXPECT_GT(flipped, 500);
}

// Pinned first draws of each random purpose for one person key: renumbering a
// purpose, or changing the key layout, shows up here.
TEST(CommonRandomNumbers, PurposeStreamsArePinned) {
  core::RandomStreams rs(1, 0);
  const auto key = model::person_key(1, 0, 0);
  EXPECT_EQ(key, 0x0001000000000000ull);
  using namespace model::purpose;
  const std::vector<std::pair<std::uint32_t, double>> pinned = {
      {kAttribute, 0x1.acc32471bd31ap-2}, {kAttribute | 1, 0x1.e4f4f58c91294p-3}, {kAge, 0x1.18ccdb3591edfp-1},
      {kFte, 0x1.ef1c494d456b6p-2},       {kTenure, 0x1.d6cbb0076c55fp-1},      {kDuration, 0x1.3d3799051093p-5},
      {kHazard | 1, 0x1.377af99496f6ap-2}, {kBranch, 0x1.e221fa9177cd9p-1},      {kArrival, 0x1.6675e6e6bf797p-1}};
  // And the purposes are what the randomness contract documents.
  EXPECT_EQ(kAttribute, 0x01000000u);
  EXPECT_EQ(kArrival, 0x08000000u);
  for (const auto& [purpose, value] : pinned) EXPECT_EQ(rs.uniform(key, purpose, 0), value) << std::hex << purpose;
}

// A pinned run: the first people's exit days in the benchmark workload.
TEST(CommonRandomNumbers, PipelineRunIsPinned) {
  const auto l = scenario::load_scenario_file(test::source_path("scenarios/bench/pipeline.toml"), {{"parameters.cohort=100"}});
  const auto s = test::run_in_memory(l, 1);
  const std::vector<double> first(s.persons()[model::cols::persons::exit_day].begin(), s.persons()[model::cols::persons::exit_day].begin() + 6);
  const double nan = std::nan("");
  const std::vector<double> pinned = {nan, 0x1.22d285a9b667cp+9, 0x1.0d1d0477832dap+9, 0x1.a1623fc33d4f2p+8, nan,
                                      0x1.995786649f86ep+11};
  ASSERT_EQ(first.size(), pinned.size());
  for (std::size_t i = 0; i < first.size(); ++i)
    EXPECT_TRUE(first[i] == pinned[i] || (std::isnan(first[i]) && std::isnan(pinned[i]))) << i << ": " << first[i];
}
