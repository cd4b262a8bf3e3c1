// FTE that changes on a transition (`fte` / `fte_scale` on a transition or a
// branch outcome): the person's FTE and the census FTE of every state follow.
#include <gtest/gtest.h>

#include <map>

#include "sim/core/error.hpp"
#include "tests/support/run_memory.hpp"
#include "tests/support/scenario_text.hpp"

using namespace tsim;

namespace {

// 100 people in post at FTE 1.0; after 1 year half return from a break at 0.6
// FTE (set), half go part time at 0.5 x their FTE (scaled); after 2 more years
// all of those go back to 1.0 (set). No exits, so census FTE is known exactly.
const char* kScenario = R"(
[scenario]
name = "fte-change"
start_date = 2020-04-01
horizon_years = 4
census = { every = "year" }

[states.full]
kind = "post"
[states.reduced]
kind = "post"
[states.back]
kind = "post"
[states.gone]
kind = "exit"

[stock.full]
count = 100
fte = 1.0

[[transitions]]
from = "full"
after_years = 1
branch = [ { to = "reduced", p = 0.5, fte = 0.6, event = "return_reduced" },
           { to = "reduced", p = 0.5, fte_scale = 0.5, event = "part_time" } ]

[[transitions]]
from = "reduced"
after_years = 2
to = "back"
fte = 1.0

[[transitions]]
from = "back"
after_years = 10
to = "gone"
)";

// Census FTE by (period end day, state).
std::map<std::pair<double, int>, double> census_fte(const model::MemorySink& s) {
  namespace c = model::cols::census;
  std::map<std::pair<double, int>, double> out;
  const auto& t = s.census();
  for (std::size_t i = 0; i < t.size(); ++i) out[{t[c::period_end_day][i], t[c::state][i]}] += t[c::fte][i];
  return out;
}

}  // namespace

TEST(FteChange, CensusAndPersonsFollowTheNewFte) {
  const auto l = test::load(kScenario);
  const auto s = test::run_in_memory(l, 5);
  const int full = l.spec.state_index("full"), reduced = l.spec.state_index("reduced"), back = l.spec.state_index("back");
  const auto fte = census_fte(s);
  // Census on 31 Dec: 2020 (all full), 2021 (all reduced), 2022 (all reduced), 2023 (all back).
  std::vector<double> ends;
  for (const auto& [k, v] : fte)
    if (ends.empty() || ends.back() != k.first) ends.push_back(k.first);
  ASSERT_GE(ends.size(), 4u);
  EXPECT_NEAR(fte.at({ends[0], full}), 100.0, 1e-6);
  // Reduced: n at 0.6 + (100 - n) at 0.5, where n returned at 0.6; each of the
  // 100 is one or the other, so the FTE lies in [50, 60] and is not 100.
  const double r = fte.at({ends[1], reduced});
  EXPECT_GE(r, 50.0 - 1e-6);
  EXPECT_LE(r, 60.0 + 1e-6);
  EXPECT_NEAR(fte.at({ends[1], full}), 0.0, 1e-6);
  EXPECT_NEAR(fte.at({ends[3], back}), 100.0, 1e-6);
  EXPECT_NEAR(fte.at({ends[3], reduced}), 0.0, 1e-6);
  // The persons table has each person's FTE at the horizon: 1.0 again.
  for (double f : s.persons()[model::cols::persons::fte]) EXPECT_NEAR(f, 1.0, 1e-6);
}

TEST(FteChange, BranchSharesGiveTheExpectedMeanFte) {
  // With 0.5 / 0.5 between 0.6 and 0.5 x 1.0, the reduced FTE is 55 +- 4 sd of
  // a binomial count of 100 times the 0.1 difference (sd 0.5): 55 +- 2.
  const auto l = test::load(kScenario);
  const auto s = test::run_in_memory(l, 11);
  const auto fte = census_fte(s);
  std::vector<double> ends;
  for (const auto& [k, v] : fte)
    if (ends.empty() || ends.back() != k.first) ends.push_back(k.first);
  EXPECT_NEAR(fte.at({ends[1], l.spec.state_index("reduced")}), 55.0, 2.0);
}

TEST(FteChange, BadValuesAreInputErrors) {
  std::string both = kScenario;
  const std::string back = "to = \"back\"\nfte = 1.0";
  both.replace(both.find(back), back.size(), back + "\nfte_scale = 0.5");
  EXPECT_THROW(test::load(both), core::InputError);
  std::string zero = kScenario;
  zero.replace(zero.find("fte = 0.6"), 9, "fte = 0.0");
  EXPECT_THROW(test::load(zero), core::InputError);
  std::string big = kScenario;
  big.replace(big.find("fte_scale = 0.5"), 15, "fte_scale = 2.0");
  EXPECT_THROW(test::load(big), core::InputError);
}
