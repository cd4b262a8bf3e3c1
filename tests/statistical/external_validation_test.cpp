// External validation: shipped scenarios reproduce published facts that are
// NOT among their inputs (a stock, a rate or a ratio that the model produces
// from other numbers). Each test names the source, the tolerance and why.
// The inputs-come-back-out checks are in published_figures_test.cpp.
// One replication, fixed seeds; census-level records where flows suffice.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <unordered_map>

#include "tests/support/run_memory.hpp"
#include "tests/support/scenario_text.hpp"

using namespace tsim;

namespace {
scenario::LoadedScenario shipped(const std::string& name) {
  return scenario::load_scenario_file(test::source_path("scenarios/" + name + ".toml"));
}

// People moving from state `a` to state `b` over the whole run (flows table).
double flow(const model::MemorySink& s, int a, int b) {
  namespace c = model::cols::flows;
  const auto& t = s.flows();
  double n = 0;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[c::from_state][i] == a && t[c::to_state][i] == b) n += t[c::count][i];
  return n;
}
}  // namespace

// Pharmacy registration assessment, all sittings (first sitters and resitters
// together): 72-82% passed in 2018-22 [S29] E. The scenario's inputs are the
// first-sitting rates by ethnicity [S29][S30] and the resit rate [S29]; the
// pass rate over all sittings is the model's. Tolerance: the published range
// over five years (the sampling error of ~25,000 sittings is under 0.3 points).
TEST(ExternalValidation, PharmacyPassRateOverAllSittings) {
  const auto l = shipped("medical_and_pharmacy");
  const auto s = test::run_in_memory(l, 41, model::RecordLevel::census);
  const int trainee = l.spec.state_index("foundation_pharmacist"), resit = l.spec.state_index("resit_wait");
  const int reg = l.spec.state_index("registered_pharmacist"), failed = l.spec.state_index("not_registered");
  const double pass = flow(s, trainee, reg) + flow(s, resit, reg);
  const double sittings = pass + flow(s, trainee, resit) + flow(s, resit, failed);
  ASSERT_GT(sittings, 20000);
  EXPECT_GE(pass / sittings, 0.72);
  EXPECT_LE(pass / sittings, 0.82);
}

// Nurses leave at retirement age at about 2% a year of the workforce [S42] A.
// The scenario's input is a retirement hazard of 15% a year from 55 [X] on an
// age mix fitted to "a third aged 50+" [S34]; the workforce-wide rate is the
// model's. Tolerance: "about 2%" is one significant figure, so 1.5-2.5%.
TEST(ExternalValidation, CancerWorkforceRetirementRate) {
  const auto l = shipped("cancer_and_acp");
  const auto s = test::run_in_memory(l, 42, model::RecordLevel::census);
  const int reg = l.spec.state_index("registered"), retiring = l.spec.state_index("retired_may_return");
  namespace c = model::cols::census;
  // Mean registered headcount over the census periods (financial years).
  double head = 0;
  std::unordered_map<int, bool> periods;
  for (std::size_t i = 0; i < s.census().size(); ++i) {
    periods[s.census()[c::period][i]] = true;
    if (s.census()[c::state][i] == reg) head += s.census()[c::headcount][i];
  }
  const double years = static_cast<double>(periods.size());
  const double rate = flow(s, reg, retiring) / years / (head / years);
  EXPECT_GE(rate, 0.015);
  EXPECT_LE(rate, 0.025);
}

// Nuffield Trust: five nurse training places yield three full-time NHS nurses
// [S38] E. Inputs: never qualifying 13% [S38], late 20% [S36][S37], 1 in 9 not
// joining [S38], early leaving 1 in 5 within 2 years [S38], part-time working
// [X]; the yield per place is the model's. Measured as FTE in post per entrant
// of the September 2020 cohort five years after entry (two years after
// qualifying on time). Tolerance: "3 in 5" is 0.6 to one significant figure
// (0.5-0.7), and the source does not say when it is measured.
TEST(ExternalValidation, NursingPlacesToFullTimeNurses) {
  const auto l = shipped("nursing_undergraduate_expansion");
  const auto s = test::run_in_memory(l, 43);
  namespace p = model::cols::persons;
  const auto& persons = s.persons();
  std::unordered_map<int, double> fte_of;  // the 2020 entrants, by person id
  for (std::size_t i = 0; i < persons.size(); ++i)
    if (persons[p::is_initial_stock][i] == 0 && persons[p::entry_day][i] < 365)
      fte_of[persons[p::person_id][i]] = persons[p::fte][i];
  ASSERT_GT(fte_of.size(), 30000u);
  const double at = 153 + 5 * 365.2425;  // 1 Sep 2020 + 5 years, in days from 1 Apr 2020
  const int reg = l.spec.state_index("registered"), band6 = l.spec.state_index("band6");
  std::unordered_map<int, int> state_at;  // each entrant's state on that day
  for (const auto& e : test::events(s))
    if (e.day <= at && fte_of.count(e.person_id)) state_at[e.person_id] = e.to_state;
  double fte = 0;
  for (const auto& [id, st] : state_at)
    if (st == reg || st == band6) fte += fte_of[id];
  EXPECT_NEAR(fte / static_cast<double>(fte_of.size()), 0.6, 0.1);
}

// EMHPs in post: "around 2,400 EMHPs are placed throughout the 600 current
// operational MHSTs" (NHSE estimate, parliamentary written answer, 2025) [S8].
// Inputs: 4 EMHP posts per team [S8] and teams by year [S9] (607 in April
// 2025), refilled each January; leaving and moves [S40]/[X] empty posts
// between refills, so EMHPs in post (trainees and qualified) are the model's.
// Near the input establishment (4 x ~600), this checks that posts are refilled
// rather than run down (the old scenario had ~1,100 against ~2,400 posts).
// Tolerance: +-10%, "around 2,400" to two significant figures, and the answer
// does not give its date within 2025.
TEST(ExternalValidation, EmhpsInPostIn2025) {
  const auto l = shipped("cyp_psychological_professions");
  const auto s = test::run_in_memory(l, 44, model::RecordLevel::census);
  namespace c = model::cols::census;
  const int trainee = l.spec.state_index("emhp_trainee"), qualified = l.spec.state_index("emhp_qualified");
  const double april_2025 = 1826;  // days from 1 April 2020
  double end = 0;
  for (double e : s.census()[c::period_end_day])
    if (e <= april_2025 + 0.5) end = std::max(end, e);
  double emhps = 0;
  for (std::size_t i = 0; i < s.census().size(); ++i)
    if (s.census()[c::period_end_day][i] == end &&
        (s.census()[c::state][i] == trainee || s.census()[c::state][i] == qualified))
      emhps += s.census()[c::headcount][i];
  EXPECT_NEAR(emhps, 2400, 240);
}

namespace {
// People moving from `a` to `b` in one census period (period 0 is the first).
double flow_in_period(const model::MemorySink& s, int a, int b, int period) {
  namespace c = model::cols::flows;
  const auto& t = s.flows();
  double n = 0;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[c::period][i] == period && t[c::from_state][i] == a && t[c::to_state][i] == b) n += t[c::count][i];
  return n;
}
}  // namespace

// Cancer, second fact. Registered nurses in acute trusts left at about 0.8% a
// month in 2012-21 (IFS) [S61] E, all reasons together, so 1 - 0.992^12 = 9.2%
// a year. Inputs: leaving other than retirement 8.8% - 2% [S25][A] and a
// retirement hazard of 15% a year from 55 [X] on the fitted age mix [S34]; the
// total exit rate (leaving plus retiring) is the model's. NEAR AN INPUT: the
// 8.8% [S25] is the same quantity measured by NHS England for 2024, so this
// mainly checks that the retirement part on top is the right size (without it
// the rate would be 6.8%). Tolerance: "0.8%" is given to one decimal
// (0.75-0.85% a month, 8.6-9.7% a year) and covers ten years of a falling
// rate; widened to 8.0-10.0% for the mismatch of acute nurses (the source)
// against band 5/6 cancer staff (the model). Replication spread: ~0.1 point
// (about 40,000 exits over ten years).
TEST(ExternalValidation, CancerNurseExitRateAllReasons) {
  const auto l = shipped("cancer_and_acp");
  const auto s = test::run_in_memory(l, 45, model::RecordLevel::census);
  const int reg = l.spec.state_index("registered"), retiring = l.spec.state_index("retired_may_return");
  const int left = l.spec.state_index("left_nhs");
  namespace c = model::cols::census;
  double head = 0;
  std::unordered_map<int, bool> periods;
  for (std::size_t i = 0; i < s.census().size(); ++i) {
    periods[s.census()[c::period][i]] = true;
    if (s.census()[c::state][i] == reg) head += s.census()[c::headcount][i];
  }
  const double years = static_cast<double>(periods.size());
  const double rate = (flow(s, reg, retiring) + flow(s, reg, left)) / years / (head / years);
  RecordProperty("model_exit_rate_per_year", std::to_string(rate));
  EXPECT_GE(rate, 0.080);
  EXPECT_LE(rate, 0.100);
}

// Clinical psychology, first fact. England's CP training places rose by 137
// from 2019 to 2020 [S19] E. Inputs: 2020 places 734 CP + CAPT [S1] minus ~49
// CAPT [A]; the 2019 cohort (in stock on 1 April 2020) is derived as 734 / 1.25
// - 49 = 538 [S1][A], i.e. from the "+25%" of S1, not from S19's +137. The 2020
// starts are the model's: applicants selected at the S20 rates (expected
// 685, so a rise of ~147). WEAK: a cross-check of S1's +25% against S19's +137
// through the model's selection (the model adds only the selection noise).
// Five replications (fixed seeds): the starts of one are binomial on ~4,700
// applicants, sd ~24, so the mean of five has sd ~11. Tolerance +-45: 3 sd of
// that mean (33) plus the CAPT split (49 [A], +-10), which S1 does not give.
TEST(ExternalValidation, ClinicalPsychologyPlacesRiseIn2020) {
  const auto l = shipped("clinical_psychology");
  const int applicant = l.spec.state_index("cp_applicant"), trainee = l.spec.state_index("cp_trainee");
  double cohort_2019 = 0;  // the September 2019 starts, in stock on 1 April 2020
  for (const auto& st : l.spec.stock)
    if (st.name == "cp_trainees_2019") cohort_2019 = static_cast<double>(st.count);
  ASSERT_GT(cohort_2019, 0);
  const int replications = 5;
  double starts_2020 = 0;  // selected in autumn 2020 (financial year 2020/21, census period 0)
  for (int r = 0; r < replications; ++r) {
    const auto s = test::run_in_memory(l, 46 + static_cast<std::uint32_t>(r), model::RecordLevel::census);
    starts_2020 += flow_in_period(s, applicant, trainee, 0) / replications;
  }
  RecordProperty("model_rise", std::to_string(starts_2020 - cohort_2019));
  EXPECT_NEAR(starts_2020 - cohort_2019, 137, 45);
}

// Clinical psychology, second fact: EXPECTED DISCREPANCY. 18% of applicants
// are offered a place (Clearing House, all applicants) [S18] E. Inputs: the
// selection rates by ethnicity of the 2018 entry [S20] E (White 16.7%, Asian
// 9.1%, Black 8.6%) and an applicant mix [X]; the overall rate is the model's,
// and it is ~15.1%: every S20 group rate is below S18's 18%, so no applicant
// mix can give 18%; the two sources measure different things (S20 one entry
// year and applications, S18 applicants over years). Not a plain error in the
// scenario, so the scenario is not changed and the tolerance is not widened:
// this test asserts the known discrepancy (model below 16.5%, i.e. outside
// 18% +- 1.5 points, the source's rounding plus a year's variation), so that a
// change that closes it fails here and the test is turned into a validation.
TEST(ExternalValidation, ExpectedDiscrepancyClinicalPsychologyApplicantSuccess) {
  const auto l = shipped("clinical_psychology");
  const auto s = test::run_in_memory(l, 47, model::RecordLevel::census);
  const int applicant = l.spec.state_index("cp_applicant"), trainee = l.spec.state_index("cp_trainee");
  const int rejected = l.spec.state_index("not_selected");
  const double selected = flow(s, applicant, trainee), applied = selected + flow(s, applicant, rejected);
  ASSERT_GT(applied, 40000);  // ten yearly rounds of ~4,500-6,000 applicants
  const double success = selected / applied;
  RecordProperty("model_applicant_success", std::to_string(success));
  EXPECT_GT(success, 0.13) << "selection no longer runs at the S20 rates";
  EXPECT_LT(success, 0.165) << "the model now reproduces S18's 18%: make this a validation test";
}
