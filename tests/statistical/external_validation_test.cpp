// External validation: shipped scenarios reproduce published facts that are
// NOT among their inputs (a stock, a rate or a ratio that the model produces
// from other numbers). Each test names the source, the tolerance and why.
// The inputs-come-back-out checks are in published_figures_test.cpp.
// One replication, fixed seeds; census-level records where flows suffice.
#include <gtest/gtest.h>

#include <set>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <unordered_map>
#include <vector>

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

// Pharmacy registration assessment, all sittings (first sitters and resitters,
// June and November together): 73.7, 75.8, 71.5, 76.4, 73.5, 73.6 and 70.1%
// passed in 2017, 2018, 2019, 2021, 2022, 2023 and 2024 [S29][S93] E (GPhC's
// tables by calendar year; the 72-82% once compared here were the June
// sittings alone). The scenario's inputs are the first-sitting rates by
// ethnicity [S29][S30], the resit rate [S29] and the three attempts [S29];
// the pass rate over all sittings is the model's (~74%). Tolerance: the
// published range over those years, 70-77% (the sampling error of ~25,000
// sittings is under 0.3 points).
TEST(ExternalValidation, PharmacyPassRateOverAllSittings) {
  const auto l = shipped("medical_and_pharmacy");
  const auto s = test::run_in_memory(l, 41, model::RecordLevel::census);
  const int trainee = l.spec.state_index("foundation_pharmacist"), resit = l.spec.state_index("resit_wait");
  const int third = l.spec.state_index("third_attempt_wait");
  const int reg = l.spec.state_index("registered_pharmacist"), failed = l.spec.state_index("not_registered");
  ASSERT_GE(third, 0);
  const double pass = flow(s, trainee, reg) + flow(s, resit, reg) + flow(s, third, reg);
  const double sittings = pass + flow(s, trainee, resit) + flow(s, resit, third) + flow(s, third, failed);
  RecordProperty("model_pass_rate_all_sittings", std::to_string(pass / sittings));
  ASSERT_GT(sittings, 20000);
  EXPECT_GE(pass / sittings, 0.70);
  EXPECT_LE(pass / sittings, 0.77);
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
  // In post: trainees, qualified, and those back from a career break (the
  // states the establishment counts); those on a break are not in post.
  const std::set<int> in_post = {l.spec.state_index("emhp_trainee"), l.spec.state_index("emhp_qualified"),
                                 l.spec.state_index("emhp_returned")};
  ASSERT_EQ(in_post.count(-1), 0u) << "a state was renamed";
  const double april_2025 = 1826;  // days from 1 April 2020
  double end = 0;
  for (double e : s.census()[c::period_end_day])
    if (e <= april_2025 + 0.5) end = std::max(end, e);
  double emhps = 0;
  for (std::size_t i = 0; i < s.census().size(); ++i)
    if (s.census()[c::period_end_day][i] == end &&
        in_post.count(static_cast<int>(s.census()[c::state][i])))
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
// mix can give 18%. S18's 18% is the 2020 round (Clearing House: 770 places,
// 4,225 applicants), when places rose 25% and applicants 4%; 2014-19 ran at
// 15-16% (Clearing House, leeds.ac.uk/chpccp/numbers.html), near the
// model's, which keeps S20's 2018 rates and scales applicants with places
// (applicants = places / rate). Not a plain error in the
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

namespace {
// Headcount (or FTE) in `states` at the end of census period `period`.
double census_in(const model::MemorySink& s, const std::vector<int>& states, int period, bool fte = false) {
  namespace c = model::cols::census;
  const auto& t = s.census();
  double n = 0;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[c::period][i] == period && std::find(states.begin(), states.end(), t[c::state][i]) != states.end())
      n += fte ? t[c::fte][i] : t[c::headcount][i];
  return n;
}

// Share of the F2 doctors who finish F2 in financial year `year` (August completions) and are
// not in specialty or core psychiatry training two years later; days from 1 April 2020.
double f2_not_in_training_after_two_years(const scenario::LoadedScenario& l, const model::MemorySink& s, int year) {
  const int f2 = l.spec.state_index("f2");
  const int st = l.spec.state_index("specialty_training"), core = l.spec.state_index("core_psychiatry");
  const double from = (year - 2020) * 365.2425, to = from + 365.2425;
  std::unordered_map<int, double> completed;  // person -> day F2 ended
  std::unordered_map<int, double> training;   // person -> first day in training
  for (const auto& e : test::events(s)) {
    if (e.from_state == f2 && e.day >= from && e.day < to) completed[e.person_id] = e.day;
    if ((e.to_state == st || e.to_state == core) && !training.count(e.person_id)) training[e.person_id] = e.day;
  }
  // S26's "within a year" is the scenario's direct August entry and "within two years" adds the
  // August a year on, so the August two years on (a later entry from a longer break) does not count.
  const double two_years = 2 * 365.2425 - 31;
  double out = 0;
  for (const auto& [id, day] : completed) {
    const auto t = training.find(id);
    if (t == training.end() || t->second - day > two_years) out += 1;
  }
  return completed.empty() ? -1 : out / static_cast<double>(completed.size());
}
}  // namespace

// Medical, second fact: EXPECTED DISCREPANCY. Of the F2 doctors finishing in 2021 and 2022,
// 43.7% and 47.7% were not in specialty training two years later (GMC progression reports, in
// parliamentary answer 81235, 2025) [S26] E. Inputs: the share in training within ONE year for
// each cohort (30.7%, 29.6%, 24.9% [S26]) and the 2020 cohort's share within two years (59.5%,
// i.e. 40.5% not [S26]), from which the scenario derives one second-year rate (41.6% of those
// not yet in training) and holds it for every cohort. The 2021 and 2022 two-year shares are not
// inputs; the model's are ~41.2% and ~44.0%. The published second-year rate fell (to 37.9% and
// 36.5%: (56.3-29.6)/70.4, (52.3-24.9)/75.1), so the model keeps too many doctors progressing.
// Agreement would be within 2 points: the sd of the mean of five runs is ~0.3 points (binomial
// ~0.6 on ~6,400 doctors each), plus ~1.5 for the source's UK-wide cohort against the model's
// England one. The 2022 gap (~3.5) is outside that, the 2021 one (~2.4) at its edge; the test
// asserts both (2021 below the published figure, 2022 more than 2 points below), so that a
// dated second-year rate (which would make these figures inputs) or another change that closes
// the gap fails here and is looked at.
TEST(ExternalValidation, ExpectedDiscrepancyF2NotInSpecialtyTrainingAfterTwoYears) {
  const auto l = shipped("medical_and_pharmacy");
  const int replications = 5;  // the mean of five (fixed seeds) has sd ~0.3 points
  double cohort_2021 = 0, cohort_2022 = 0;
  for (int r = 0; r < replications; ++r) {
    const auto s = test::run_in_memory(l, 48 + static_cast<std::uint32_t>(r));
    cohort_2021 += f2_not_in_training_after_two_years(l, s, 2021) / replications;
    cohort_2022 += f2_not_in_training_after_two_years(l, s, 2022) / replications;
  }
  RecordProperty("model_2021_cohort", std::to_string(cohort_2021));
  RecordProperty("model_2022_cohort", std::to_string(cohort_2022));
  EXPECT_GT(cohort_2021, 0.38) << "the one-year shares [S26] no longer come through";
  EXPECT_GT(cohort_2022, 0.38) << "the one-year shares [S26] no longer come through";
  EXPECT_LT(cohort_2021, 0.437) << "the model now reaches S26's 2021 figure: make this a validation";
  EXPECT_LT(cohort_2022, 0.477 - 0.02) << "the model now reproduces S26's 2022 figure: make this a validation";
}

// Nursing, second fact: EXPECTED DISCREPANCY. UK-educated joiners to the NMC register rose from
// 12,104 (April-September 2022) to 15,067 (April-September 2023), +24.5%, "following the well
// reported increase in students accepted onto nursing programmes in 2020" (NMC mid-year data,
// November 2023) [S64] E. Inputs: the pre-expansion intakes, +5,000 places from September 2020
// [S1] and 20% qualifying a year late [S36][S37] A; the rise in qualifiers between the two
// summers is the model's (all qualify on 1 September, so the financial-year flows are the
// April-September counts). The model gives ~+13%: its +5,000 places over four professions
// (+17% on 29,100; nursing and midwifery +19%), while England's nursing and midwifery
// acceptances rose by 6,110 (+26%) in 2020 (UCAS) [S65] E, and the late finishers of the
// flat earlier cohorts dilute the rise. Agreement would be within 5 points: NMC counts the UK
// and nursing associates, the model England and four professions (the ratio cancels most of
// the scale); simulation noise is ~1 point. The scenario models the policy's places, not the
// pandemic surge in acceptances, so it is not changed here.
TEST(ExternalValidation, ExpectedDiscrepancyNmcUkJoinersRiseIn2023) {
  const auto l = shipped("nursing_undergraduate_expansion");
  const auto s = test::run_in_memory(l, 49, model::RecordLevel::census);
  const int student = l.spec.state_index("student"), late = l.spec.state_index("student_late");
  const int reg = l.spec.state_index("registered"), never_joined = l.spec.state_index("never_joined");
  auto qualifiers = [&](int period) {  // qualifiers join the register whether or not they join the NHS
    return flow_in_period(s, student, reg, period) + flow_in_period(s, student, never_joined, period) +
           flow_in_period(s, late, reg, period) + flow_in_period(s, late, never_joined, period);
  };
  const double summer_2022 = qualifiers(2), summer_2023 = qualifiers(3);  // financial years 2022/23, 2023/24
  ASSERT_GT(summer_2022, 20000);
  const double rise = summer_2023 / summer_2022;
  RecordProperty("model_rise", std::to_string(rise));
  EXPECT_GT(rise, 1.05) << "the 2020 expansion no longer reaches the register in 2023";
  EXPECT_LT(rise, 1.245 - 0.05) << "the model now reproduces NMC's +24.5%: make this a validation";
}

// Adult talking therapies, first fact: REPRODUCED, WEAK. NHS psychological professions grew 51%
// in FTE from April 2019 to March 2023 (Electronic Staff Record; parliamentary answer, 13 March
// 2024) [S66] E: 10.8% a year. Inputs: ~2,926 trainees a year [S1] split 60/40 [X], leaving
// 25%/12% [S13] split into leaving and moves [S13][S40], the qualified stock on 1 April 2020
// (4,000 PWPs, 5,000 HITs [X]) and the trainees mid-programme then, the 2019/20 intake of ~1,926
// [S87] A; the growth of the PWP and HIT workforce (trainees are salaried staff, as in ESR) from
// April 2020 to April 2023 is the model's: ~9.7% a year (seed 50). Agreement (fixed when this
// test was written as an expected discrepancy, before the model reached it): within 2 points a
// year of 10.8%, since the published group is wider (clinical psychologists, counsellors, CYP
// roles) and starts a year earlier. WEAK for that reason. History: the model grew ~7-8% a year
// while it started with 2,926 trainees in training (the 2020/21 number [S1]); NHS England's
// report that the 2020/21 intake was ~1,000 above 2019/20's [S87] fixed the stock (a different
// source from S66, not fitted to it), and the growth rose into the band.
TEST(ExternalValidation, TalkingTherapiesWorkforceGrowth) {
  const auto l = shipped("adult_talking_therapies");
  const auto s = test::run_in_memory(l, 50, model::RecordLevel::census);
  const std::vector<int> workforce = {l.spec.state_index("pwp_trainee"), l.spec.state_index("pwp"),
                                      l.spec.state_index("hit_trainee"), l.spec.state_index("hit")};
  double at_start = 0;  // 1 April 2020: the stock in those states (FTE 1 each)
  for (const auto& st : l.spec.stock)
    if (std::find(workforce.begin(), workforce.end(), st.state) != workforce.end())
      at_start += static_cast<double>(st.count);
  const double april_2023 = census_in(s, workforce, 2, true);  // end of financial year 2022/23
  ASSERT_GT(at_start, 5000);
  const double per_year = std::pow(april_2023 / at_start, 1.0 / 3.0) - 1;
  RecordProperty("model_growth_per_year", std::to_string(per_year));
  EXPECT_NEAR(per_year, 0.108, 0.02) << "ESR's 10.8% a year for the psychological professions [S66]";
}

// Nursing, third fact: EXPECTED DISCREPANCY about an assumption. 23% (6,770) of England's 2020
// nursing and midwifery acceptances were aged 35 or over (UCAS, via Euro Weekly News, Dec 2020)
// [S65] E. The scenario's entry ages are an assumption (lognormal, median 21, sd_log 0.2 [X]),
// not fitted to any published share, and give under 1% aged 35+. Ages drive no transition in
// that scenario yet (they are reported only), so nothing else is wrong by it; but a policy that
// acts on age (retirement, widening access) would be. Agreement would be within 2 points
// (binomial sd 0.2 points on ~25,000 entrants, plus the acceptances-vs-starters difference).
// The test asserts the gap, so that fixing the ages fails here and turns it into an input test.
TEST(ExternalValidation, ExpectedDiscrepancyNursingEntrantsAged35AndOver) {
  const auto l = shipped("nursing_undergraduate_expansion");
  const auto s = test::run_in_memory(l, 51);
  namespace p = model::cols::persons;
  const auto& persons = s.persons();
  double n = 0, older = 0;  // the September 2020 entrants of every route
  for (std::size_t i = 0; i < persons.size(); ++i) {
    if (persons[p::is_initial_stock][i] != 0 || persons[p::entry_day][i] >= 365) continue;
    n += 1;
    if (persons[p::age_at_entry][i] >= 35) older += 1;
  }
  ASSERT_GT(n, 30000);
  RecordProperty("model_share_35_and_over", std::to_string(older / n));
  EXPECT_LT(older / n, 0.23 - 0.02) << "entry ages now match UCAS's 23% aged 35+: make this an input test";
}

// ---- adult talking therapies and 2020 commissioning (facts3) ----

// Adult talking therapies, second fact: REPRODUCED, WEAK. Of 212 past trainees of the KCL IAPT
// High Intensity CBT course (six cohorts, 2008-2014 intakes), 196 answered a follow-up survey and
// 79% of them still worked in IAPT services (Liness et al., Behav Cogn Psychother 2017, online
// July 2016) [S70] E. Inputs: HIT training 364 days [S14], dropout 5% [X], and the HITs' 12%
// organisational turnover [S13] split as the DOMAIN-PARAMETERS rule says (and as the CYP scenario
// already did): 8% leaving the NHS (the NHS leaver rate is 8.1% [S40]), 2% moving to other NHS
// roles, 2% moving between providers and staying HITs [S13][S40] A. The share of qualified HITs
// still in post some years after training is the model's. Design, fixed before running: six
// yearly HIT cohorts (all starts from 1 April 2020 to 31 March 2026, the intakes of September
// 2020-2025 and the PWPs who move in), surveyed on 1 April 2027, half a year after the last cohort
// qualifies (the abstract gives no survey date), so 0.5-5.5 years after qualifying. Agreement:
// within the survey's 95% binomial interval, 79% +- 5.7 points (n = 196): 73.3-84.7%.
// History, so the reader can weigh it: this fact was found while the scenario still counted the
// whole 12% as leaving the NHS, which gave ~70% (an expected discrepancy, as this test then
// asserted); the split above was then made to follow the written rule, with the CYP scenario's
// numbers, not fitted to this fact. The model now gives ~74% (sd ~0.6 points on ~6,900
// qualifiers), just inside the interval's lower edge. WEAK: the survey date is not known, and
// non-response (16 of 212) may lift the published share.
TEST(ExternalValidation, TalkingTherapiesHitTraineesStayInIapt) {
  const auto l = shipped("adult_talking_therapies");
  const auto s = test::run_in_memory(l, 70);
  const int trainee = l.spec.state_index("hit_trainee"), hit = l.spec.state_index("hit");
  ASSERT_GE(trainee, 0);
  ASSERT_GE(hit, 0);
  const double year = 365.2425, last_start = 6 * year, survey = 7 * year;  // days from 1 April 2020
  std::unordered_map<int, bool> started;         // HIT training starts in the six years (not the stock)
  std::unordered_map<int, double> qualified_on;  // person -> day qualified as a HIT
  std::unordered_map<int, double> left_hit_on;   // person -> day they left the HIT post
  for (const auto& e : test::events(s)) {
    if (e.to_state == trainee && e.day > 0.5 && e.day < last_start) started[e.person_id] = true;
    if (e.from_state == trainee && e.to_state == hit) qualified_on[e.person_id] = e.day;
    if (e.from_state == hit && !left_hit_on.count(e.person_id)) left_hit_on[e.person_id] = e.day;
  }
  double qualified = 0, still_in_post = 0;
  for (const auto& [id, day] : qualified_on) {
    if (!started.count(id)) continue;
    qualified += 1;
    const auto left = left_hit_on.find(id);
    if (left == left_hit_on.end() || left->second > survey) still_in_post += 1;
  }
  ASSERT_GT(qualified, 5000);  // six cohorts of ~1,100 qualifiers
  const double share = still_in_post / qualified;
  RecordProperty("model_share_in_post", std::to_string(share));
  EXPECT_GE(share, 0.79 - 0.057) << "below the KCL survey's 95% interval [S70]";
  EXPECT_LE(share, 0.79 + 0.057) << "above the KCL survey's 95% interval [S70]";
}

// 2020 commissioning: INPUT, not external validation. The 50 community-based specialist mental
// health pharmacists of the People Plan 2020/21 [S1] began a 12-month training pathway (University
// of Bradford, HEE contract) only at the end of April 2022 (The Pharmaceutical Journal news, before
// April 2022 [S71] E; the 2023/24 cohort filled 39 of 70 places). The scenario started them on
// 1 October 2020 until this date was found; it now takes their intake date and training length
// from S71, so this only checks that the input comes back out: none in post on 1 April 2022;
// on 1 April 2023 none still in training, since the first cohort was "due to complete their
// training in March 2023" (The Pharmaceutical Journal, 8 February 2023) [S71] E (the scenario
// kept them in training until late April 2023 until facts5 read this; now 11 months), and all 50
// qualified but for a week of leaving (no drop-out from this pathway); on 1 April 2024 those
// 50 less about a year of leaving at 8% [X] (~46).
TEST(ExternalValidation, InputCommunityMhPharmacistsTrainFromApril2022) {
  const auto l = shipped("mental_health_commissioning_2020");
  const auto s = test::run_in_memory(l, 71, model::RecordLevel::census);
  const int pharmacist = l.spec.state_index("mh_pharmacist");
  const int trainee = l.spec.state_index("pharmacist_trainee");
  ASSERT_GE(pharmacist, 0);
  ASSERT_GE(trainee, 0);
  RecordProperty("model_qualified_1_april_2022", std::to_string(census_in(s, {pharmacist}, 1)));
  EXPECT_EQ(census_in(s, {pharmacist, trainee}, 1), 0) << "none trained before April 2022 [S71]";
  EXPECT_EQ(census_in(s, {trainee}, 2), 0) << "the first cohort completed in March 2023 [S71]";
  EXPECT_GE(census_in(s, {pharmacist}, 2), 48);  // 50 qualified ~25 March 2023, a week at 8% a year
  const double april_2024 = census_in(s, {pharmacist}, 3);
  RecordProperty("model_qualified_1_april_2024", std::to_string(april_2024));
  EXPECT_GE(april_2024, 38);  // 50 x 0.92 = 46 expected; binomial sd ~1.9, so 4 sd below
  EXPECT_LE(april_2024, 50);
}

// 2020 commissioning, second fact: EXPECTED DISCREPANCY by design. "An NHS audit in 2023 found
// that there are over 1,000 peer workers ... working in NHS-commissioned mental health services"
// (Centre for Mental Health, 5 August 2025) [S72] A. Inputs: 862 peer support workers in post in
// 2019 [S22], the 300 trained in 2020/21 [S1] and leaving 20% a year [X]; the 2023 headcount is the
// model's: ~630 on 1 April 2023 and ~510 a year later. The scenario trains ONE year's cohort (its
// question is what that year adds), while trusts went on training and recruiting (the Long Term
// Workforce Plan counts on 4,730 by 2023/24 [S22]), so it must stay below the published count; it does
// not reproduce it. Agreement would be 1,000 or more at either end of 2023 ("over 1,000" is a lower
// bound). The test asserts the gap and that the 2019 stock and the 2020/21 cohort still come through
// (over 400: the 862 alone, at 20% a year, are ~470 in April 2023).
TEST(ExternalValidation, ExpectedDiscrepancyPeerSupportWorkersIn2023) {
  const auto l = shipped("mental_health_commissioning_2020");
  const auto s = test::run_in_memory(l, 72, model::RecordLevel::census);
  const int peer = l.spec.state_index("peer_support_worker");
  ASSERT_GE(peer, 0);
  const double april_2023 = census_in(s, {peer}, 2), april_2024 = census_in(s, {peer}, 3);
  RecordProperty("model_1_april_2023", std::to_string(april_2023));
  RecordProperty("model_1_april_2024", std::to_string(april_2024));
  EXPECT_GT(april_2023, 400) << "the 2019 stock [S22] and the 2020/21 cohort [S1] no longer come through";
  EXPECT_LT(std::max(april_2023, april_2024), 1000)
      << "one year's training now reaches the 2023 audit's 1,000: make this a validation";
}

// ---- cyp, medical, nursing, clinical psychology (facts4) ----

namespace {
// Nursing: students who qualify in census period `period` (financial years from 2020/21), whether
// or not they then join the NHS (every qualifier joins the NMC register).
double nursing_qualifiers(const scenario::LoadedScenario& l, const model::MemorySink& s, int period) {
  const int student = l.spec.state_index("student"), late = l.spec.state_index("student_late");
  const int reg = l.spec.state_index("registered"), never_joined = l.spec.state_index("never_joined");
  return flow_in_period(s, student, reg, period) + flow_in_period(s, student, never_joined, period) +
         flow_in_period(s, late, reg, period) + flow_in_period(s, late, never_joined, period);
}
}  // namespace

// Nursing, second reproduced fact. UK-educated joiners to the NMC register by financial year:
// more than 27,142 in 2022/23, 30,363 in 2023/24 and 32,163 in 2024/25 (52,834 joiners less
// 20,671 educated abroad) (NMC annual data reports) [S80] E: +11.9% and then +5.9%, the two
// years in which the September 2020 expansion cohort (on time, then late) reached the register.
// Inputs: the pre-expansion intakes, +5,000 places from September 2020 [S1], completion on time,
// late or never [S36][S37][S38]; the year-on-year rise in qualifiers is the model's. Tolerance
// +-5 points on each rise, the rule fixed for the NMC half-year comparison [S64] above: NMC
// counts the UK and nursing associates, the model England and four professions (AHP and dental
// students, whose extra places are a smaller share of their base, pull the model's rise ~2
// points below a nurses-and-midwives one). One run's rise varies by ~0.6 points (ten
// replications: 1.120-1.139 and 1.026-1.042); the mean of three runs (fixed seeds) is used.
// Over whole years the rise is reproduced; the half-year gap [S64] comes from the half-year
// base (NMC's April-September joiners rose by ~3,000 on 12,104, the whole year's by ~3,200 on
// 27,142), since the model qualifies everyone on 1 September.
TEST(ExternalValidation, NmcUkEducatedJoinersRiseAfterTheExpansion) {
  const auto l = shipped("nursing_undergraduate_expansion");
  const int replications = 3;
  double rise_2023 = 0, rise_2024 = 0;
  for (int r = 0; r < replications; ++r) {
    const auto s = test::run_in_memory(l, 80 + static_cast<std::uint32_t>(r), model::RecordLevel::census);
    const double fy2022 = nursing_qualifiers(l, s, 2), fy2023 = nursing_qualifiers(l, s, 3);
    const double fy2024 = nursing_qualifiers(l, s, 4);
    ASSERT_GT(fy2022, 20000);
    rise_2023 += fy2023 / fy2022 / replications;
    rise_2024 += fy2024 / fy2023 / replications;
  }
  RecordProperty("model_rise_2023_24", std::to_string(rise_2023));
  RecordProperty("model_rise_2024_25", std::to_string(rise_2024));
  EXPECT_NEAR(rise_2023, 30363.0 / 27142.0, 0.05);
  EXPECT_NEAR(rise_2024, 32163.0 / 30363.0, 0.05);
}

// Nursing: EXPECTED DISCREPANCY. The year before, UK-educated NMC joiners rose 8.5% to 27,142
// (2022/23 on 2021/22) [S80] E, from intakes that grew before 2020. The scenario's students in
// stock on 1 April 2020 (the 2017-19 cohorts) are all at one pre-expansion intake, England's 2023
// nursing acceptances [S49] A, so its qualifiers are flat until the expansion cohort: ~0%.
// Agreement would be within 5 points (as above); the test asserts the model's rise is below
// 8.5% - 5, so that dated pre-2020 intakes (which would make it an input) fail here.
TEST(ExternalValidation, ExpectedDiscrepancyNmcUkEducatedJoinersRiseBeforeTheExpansion) {
  const auto l = shipped("nursing_undergraduate_expansion");
  const auto s = test::run_in_memory(l, 83, model::RecordLevel::census);
  const double fy2021 = nursing_qualifiers(l, s, 1), fy2022 = nursing_qualifiers(l, s, 2);
  ASSERT_GT(fy2021, 20000);
  RecordProperty("model_rise_2022_23", std::to_string(fy2022 / fy2021));
  EXPECT_GT(fy2022 / fy2021, 0.95) << "qualifiers fall before the expansion: the stock cohorts changed";
  EXPECT_LT(fy2022 / fy2021, 1.085 - 0.05) << "the model now reproduces NMC's +8.5%: make this a validation";
}

namespace {
// Share of the F2 doctors who finish F2 in financial year `year` (August completions) and have
// not entered specialty or core psychiatry training within `years` of finishing (days from 1
// April 2020): entries in the August `years` on do not count (as S26's one- and two-year shares).
double f2_not_in_training_within(const scenario::LoadedScenario& l, const model::MemorySink& s, int year,
                                 double years) {
  const int f2 = l.spec.state_index("f2");
  const int st = l.spec.state_index("specialty_training"), core = l.spec.state_index("core_psychiatry");
  const double from = (year - 2020) * 365.2425, to = from + 365.2425;
  std::unordered_map<int, double> completed, trained;  // person -> day F2 ended / first day in training
  for (const auto& e : test::events(s)) {
    if (e.from_state == f2 && e.day >= from && e.day < to) completed[e.person_id] = e.day;
    if ((e.to_state == st || e.to_state == core) && !trained.count(e.person_id)) trained[e.person_id] = e.day;
  }
  double out = 0;
  for (const auto& [id, day] : completed) {
    const auto t = trained.find(id);
    if (t == trained.end() || t->second - day > years * 365.2425 - 31) out += 1;
  }
  return completed.empty() ? -1 : out / static_cast<double>(completed.size());
}
}  // namespace

// Medical: EXPECTED DISCREPANCY. Of the 2012 F2 cohort, 525 (7%) had not returned to UK training
// five years on, and nearly 90% of F2 completers entered specialty or core training in the UK
// within three years (GMC, Training pathways working paper 1, Nov 2017, national training survey
// census 2012-17) [S81] A. Inputs: the shares in training within one year and (2020 cohort) two
// years [S26]; since facts6, doctors still out after their F3 year are not all lost: 4% of those
// who take a break leave medicine for good [S90] A, the rest enter training in a later August at
// the S26 second-year rate times the decline UKMED shows from the first break year to the second
// [S91] A, held flat [X]. The share of the 2020 cohort (the latest the model follows for five
// years) not in training five years on is the model's: ~18% (entries up to the August four years
// on, as the 2012 cohort's by the 2017 census); ~31% are not in training three years on.
// Tolerance 10 points, fixed by the facts4 helper before either model value was seen, for later
// cohorts progressing more slowly. The gap is the cohorts: 30% of the 2012 completers took a
// break and 69% of the 2020 ones [S81][S26]. (Per doctor who took a break, 23% of 2012's were
// still out after five years and ~26% of the model's; that comparison was made after seeing the
// model's numbers, so it is not counted. The share never in training by the horizon, nine years
// on, is ~8% (was ~41% when everyone out after one F3 year left for good) but that horizon is not
// S81's, so it is recorded only.) The test asserts the model is more than 10 points above 7% so
// that a change which closes the gap fails here and is looked at, and below 30% so that the later
// returns [S90][S91] do not silently vanish again.
TEST(ExternalValidation, ExpectedDiscrepancyF2DoctorsNotBackInTrainingAfterFiveYears) {
  const auto l = shipped("medical_and_pharmacy");
  const auto s = test::run_in_memory(l, 84);
  const double five_years = f2_not_in_training_within(l, s, 2020, 5);
  const double three_years = f2_not_in_training_within(l, s, 2020, 3);
  const double never_2021 = f2_not_in_training_within(l, s, 2021, 20);  // by the horizon
  ASSERT_GT(five_years, 0.0) << "no 2020 F2 completers";
  RecordProperty("model_not_back_after_five_years_2020_cohort", std::to_string(five_years));
  RecordProperty("model_not_in_training_after_three_years_2020_cohort", std::to_string(three_years));
  RecordProperty("model_never_in_training_by_horizon_2021_cohort", std::to_string(never_2021));
  EXPECT_LT(five_years, 0.30) << "doctors out after their F3 year no longer return in later years [S90][S91]";
  EXPECT_GT(five_years, 0.07 + 0.10) << "the model now reproduces S81's 7%: make this a validation";
}

namespace {
// Clinical psychology: people in `states` at the end of census period `period`, or in the
// scenario's stock (on 1 April 2020) when period is -1.
double cp_in(const scenario::LoadedScenario& l, const model::MemorySink& s, const std::vector<int>& states,
             int period) {
  if (period >= 0) return census_in(s, states, period);
  double n = 0;
  for (const auto& st : l.spec.stock)
    if (std::find(states.begin(), states.end(), st.state) != states.end()) n += static_cast<double>(st.count);
  return n;
}
}  // namespace

// Clinical psychology: NOT COUNTED as external validation. NHS England has doubled the Doctorate
// in Clinical Psychology commissions since 2019/20 "to just under 1,100 places in 2024"
// (parliamentary answer 45142, April 2025) [S82] E. This fact showed an error: the scenario ran
// its 2021/22 places (~890 CP [A]) on for every later year, so it started ~890 in 2024. The
// scenario now takes England's 2022/23 commissions, 1,065 (BPS, Oct 2022) [S85] E, and holds
// them flat [X]; since the fix was made because of S82, S82 no longer counts as external, and
// this test only guards the fix: the September 2024 starts are within 5% of 1,050-1,099
// (selection is binomial, sd ~30 starts; "just under 1,100").
TEST(ExternalValidation, ClinicalPsychologyPlacesIn2024NotCounted) {
  const auto l = shipped("clinical_psychology");
  const auto s = test::run_in_memory(l, 85, model::RecordLevel::census);
  const int applicant = l.spec.state_index("cp_applicant"), trainee = l.spec.state_index("cp_trainee");
  const double starts_2024 = flow_in_period(s, applicant, trainee, 4);  // selected in autumn 2024
  RecordProperty("model_cp_starts_2024", std::to_string(starts_2024));
  EXPECT_GT(starts_2024, 1050 * 0.95) << "fewer starts than NHS England's ~1,100 in 2024";
  EXPECT_LT(starts_2024, 1099 * 1.05) << "more starts than NHS England's ~1,100 in 2024";
}

// Clinical psychology: EXPECTED DISCREPANCY, WEAK. NHS psychological professions grew 51% in FTE
// from April 2019 to March 2023 (ESR) [S66] E, 10.8% a year. Inputs: the qualified stock on
// 1 April 2020 (6,000 at band 7, 3,500 at 8a [X]), leaving 8% a year [X], 94.2% of graduates
// taking CP posts [S18] and the places [S1][S19][S85]; the growth of qualified CPs and CP trainees
// (in post, as ESR counts them) is the model's: ~0.4% a year from April 2020 to April 2023, as
// ~760 leavers a year (8% of ~9,500) outnumber the ~500 graduates of the pre-2020 cohorts, so
// the qualified workforce shrinks (~3% a year) while only the trainee numbers grow. WEAK: the
// published group is wider (IAPT, CYP and other psychological roles grew faster); agreement
// would be within 2 points a year, as for talking therapies; the test asserts the model grows
// more slowly (even with no leaving at all it grows 6.9% a year: only more places as well would
// close the gap).
TEST(ExternalValidation, ExpectedDiscrepancyClinicalPsychologyWorkforceGrowth) {
  const auto l = shipped("clinical_psychology");
  const auto s = test::run_in_memory(l, 86, model::RecordLevel::census);
  const std::vector<int> workforce = {l.spec.state_index("cp_trainee"), l.spec.state_index("cp_qualified"),
                                      l.spec.state_index("cp_awaiting_8a"), l.spec.state_index("cp_8a")};
  ASSERT_EQ(std::count(workforce.begin(), workforce.end(), -1), 0) << "a state was renamed";
  const double april_2020 = cp_in(l, s, workforce, -1), april_2023 = cp_in(l, s, workforce, 2);
  ASSERT_GT(april_2020, 9000);
  const double per_year = std::pow(april_2023 / april_2020, 1.0 / 3.0) - 1;
  RecordProperty("model_growth_per_year", std::to_string(per_year));
  EXPECT_GT(per_year, -0.05) << "the CP workforce collapses";
  EXPECT_LT(per_year, 0.108 - 0.02) << "the model now grows like ESR's 10.8% a year: make this a validation";
}

// CYP: EXPECTED DISCREPANCY, WEAK. Health Education England's annual report 2021-22 counts "an
// additional ... 827 children's wellbeing practitioners" in the mental health workforce [S83] A
// (its other highlights in that list are growth since 2019, so at most three years: at least
// ~275 more CWPs a year). Inputs: 245 CWP places a year [S1] held flat [X], 900 qualified CWPs on
// 1 April 2020 [X], leaving, moves, promotion and career breaks [S40]/[X]; the change in CWPs
// (trainees, qualified and back from a break) is the model's: 25-30 fewer a year from April
// 2020 to April 2022: ~230 qualify a year, and ~240 a year leave the NHS, move to other roles
// or adult services, or are promoted (the CWP posts' turnover is ~25% a year). WEAK: the source
// gives neither its baseline date nor whether it counts heads or FTE, so agreement would be
// within half of the ~275 a year; the test asserts the model adds fewer than ~140 CWPs a year,
// so that a change which grows the CWP workforce as published (more places after 2020/21,
// longer stays) fails here and is looked at.
TEST(ExternalValidation, ExpectedDiscrepancyCwpWorkforceGrowth) {
  const auto l = shipped("cyp_psychological_professions");
  const auto s = test::run_in_memory(l, 87, model::RecordLevel::census);
  const std::vector<int> cwps = {l.spec.state_index("cwp_trainee"), l.spec.state_index("cwp_qualified"),
                                 l.spec.state_index("cwp_returned")};
  ASSERT_EQ(std::count(cwps.begin(), cwps.end(), -1), 0) << "a state was renamed";
  namespace c = model::cols::census;
  // The quarterly census: the last period ending on or before 1 April 2022 (day 730).
  int april_2022 = -1;
  for (std::size_t i = 0; i < s.census().size(); ++i)
    if (s.census()[c::period_end_day][i] <= 730.5)
      april_2022 = std::max(april_2022, static_cast<int>(s.census()[c::period][i]));
  ASSERT_GE(april_2022, 0);
  double start = 0;  // 1 April 2020: the stock
  for (const auto& st : l.spec.stock)
    if (std::find(cwps.begin(), cwps.end(), st.state) != cwps.end()) start += static_cast<double>(st.count);
  const double per_year = (census_in(s, cwps, april_2022) - start) / 2.0;
  RecordProperty("model_cwps_added_per_year", std::to_string(per_year));
  EXPECT_GT(per_year, -150) << "the CWP workforce collapses";
  EXPECT_LT(per_year, 827.0 / 3 / 2) << "the model now grows CWPs as published: make this a validation";
}

// Medical: EXPECTED DISCREPANCY about an assumption. Of the doctors who started core psychiatry
// training in 2012-17 (2,820, UK Medical Education Database), the probability of not progressing
// from core to higher (specialty) training was 57.1%, the largest loss of any stage (Silkens et
// al., BJPsych Open 2021) [S84] E. Inputs: 3 years of core training [S23] and leaving it at 5% a
// year [X]; the share of core starters who reach higher training is the model's: ~86% of the
// 2021/22 starters. Agreement would be within 10 points (UK against England, and the study's
// follow-up ends before all of the 2017 starters could progress); the test asserts the model's
// share not progressing is below 57.1% - 10, so that a sourced core-to-higher progression rate
// (which would make this an input) fails here.
TEST(ExternalValidation, ExpectedDiscrepancyCorePsychiatryToHigherTraining) {
  const auto l = shipped("medical_and_pharmacy");
  const auto s = test::run_in_memory(l, 88);
  const int core = l.spec.state_index("core_psychiatry"), higher = l.spec.state_index("higher_psychiatry");
  std::set<int> starters, progressed;  // core starters in financial year 2021/22, days from 1 April 2020
  for (const auto& e : test::events(s)) {
    if (e.to_state == core && e.from_state >= 0 && e.day >= 365.2425 && e.day < 2 * 365.2425)
      starters.insert(e.person_id);
    if (e.to_state == higher) progressed.insert(e.person_id);
  }
  ASSERT_GT(starters.size(), 200u);
  double not_progressing = 0;
  for (int id : starters)
    if (!progressed.count(id)) not_progressing += 1;
  not_progressing /= static_cast<double>(starters.size());
  RecordProperty("model_not_progressing", std::to_string(not_progressing));
  EXPECT_GT(not_progressing, 0.05) << "core trainees no longer leave before higher training";
  EXPECT_LT(not_progressing, 0.571 - 0.10)
      << "the model now loses as many core trainees as published: make this a validation";
}

// Medical: NOT COUNTED as external validation. Doctors accepting specialty training posts in
// England rose by 282 to 7,846 from 2020 to 2021 (HEE, 5 Jul 2021) [S86] E, +3.7%, and core
// psychiatry filled all its posts in 2020 (HEE, 15 Dec 2020) [S86] E. These facts showed an
// error: with no doctors on an F3 year in the stock on 1 April 2020, the August 2020 intake to
// specialty and core training was half of 2021's. The scenario now holds the 2019 F2 completers
// on an F3 year (66.4% of ~6,121 [S26][S27] A) with the 2019 cohort's second-year rate [S26];
// since the fix was made because of S86, this test only guards it: the model's 2021 intake from
// F2 and F3 doctors is within 10% of 2020's times 1.037 (HEE counts every level and applicants
// from outside the Foundation Programme, the model F2 and F3 doctors only).
TEST(ExternalValidation, MedicalTrainingIntake2021On2020NotCounted) {
  const auto l = shipped("medical_and_pharmacy");
  const auto s = test::run_in_memory(l, 89, model::RecordLevel::census);
  const int f2 = l.spec.state_index("f2"), f3 = l.spec.state_index("f3_year");
  const int st = l.spec.state_index("specialty_training"), core = l.spec.state_index("core_psychiatry");
  auto intake = [&](int period) {  // financial years 2020/21 and 2021/22: the August intakes
    return flow_in_period(s, f2, st, period) + flow_in_period(s, f2, core, period) +
           flow_in_period(s, f3, st, period) + flow_in_period(s, f3, core, period);
  };
  const double rise = intake(1) / intake(0);
  RecordProperty("model_rise_2021_on_2020", std::to_string(rise));
  EXPECT_NEAR(rise, 7846.0 / (7846.0 - 282.0), 0.10) << "the 2020 start-up hole (no F3 doctors in stock) is back";
}

// ---- medical, cyp, clinical psychology (facts6) ----

// CYP: EXPECTED DISCREPANCY about a date. The Senior Wellbeing Practitioner role "has been
// designed" with its two-year part-time diploma for qualified CWPs and EMHPs with at least two
// years' experience (Exeter CEDAR [S11]); UCL and King's College London's fourth cohort begins in
// January 2026, so the first began in January 2023 (annual cohorts [A]), and GMMH's second intake
// is September 2024 (its first September 2023) [S92]. So there were no SWPs, in training or
// trained, on 1 April 2022. Inputs: promotion of qualified CWPs and EMHPs to SWP posts at 10% a
// year after their first year in post, from 1 April 2020 [X] (senior_uptake); the SWP headcount
// on 1 April 2022 is the model's: ~145 (147, 140, 150 in three replications of `traineesim run
// -r 3`; 148 with seed 90). Agreement would be fewer than 25: local senior low-intensity posts
// before the national training, at most one small pilot cohort [X] (set from the source; the
// model's ~130 SWP FTE in 2022 had been seen in scenarios/README.md, so said here). The test
// asserts the model has more than 25, so that a dated start of SWP promotion (which would make
// S92 an input) fails here and is looked at; and fewer than 400 (the role exists, not runaway).
TEST(ExternalValidation, ExpectedDiscrepancySeniorWellbeingPractitionersBefore2023) {
  const auto l = shipped("cyp_psychological_professions");
  const auto s = test::run_in_memory(l, 90, model::RecordLevel::census);
  const int swp = l.spec.state_index("senior_wp");
  ASSERT_GE(swp, 0) << "a state was renamed";
  namespace c = model::cols::census;
  int april_2022 = -1;  // the quarterly census: the last period ending on or before 1 April 2022 (day 730)
  for (std::size_t i = 0; i < s.census().size(); ++i)
    if (s.census()[c::period_end_day][i] <= 730.5)
      april_2022 = std::max(april_2022, static_cast<int>(s.census()[c::period][i]));
  ASSERT_GE(april_2022, 0);
  const double swps = census_in(s, {swp}, april_2022);
  RecordProperty("model_swps_1_april_2022", std::to_string(swps));
  EXPECT_LT(swps, 400) << "SWP promotion runs away";
  EXPECT_GT(swps, 25) << "the model now starts SWPs with their training (2023): make this a validation";
}

// ---- 2020 commissioning and adult talking therapies (facts5) ----

namespace {
// Share of the people in `team` at day `day` (days from the start date) who arrived (first event,
// from_state -1; the initial stock arrives on day 0) more than `years` years before `day`.
double share_in_team_longer_than(const model::MemorySink& s, const std::set<int>& team, double day, double years) {
  std::unordered_map<int, double> arrived;  // person -> day of first arrival
  std::unordered_map<int, int> state_at;    // person -> state on `day`
  for (const auto& e : test::events(s)) {
    if (e.day > day) break;  // /events is ordered by day
    if (e.from_state < 0 && !arrived.count(e.person_id)) arrived[e.person_id] = e.day;
    state_at[e.person_id] = e.to_state;
  }
  double in_team = 0, longer = 0;
  for (const auto& [id, state] : state_at) {
    if (!team.count(state)) continue;
    in_team += 1;
    if (arrived[id] < day - years * 365.2425) longer += 1;
  }
  return in_team > 0 ? longer / in_team : -1;
}
}  // namespace

// Adult talking therapies: INPUT, not external validation (it exposed a scenario error, so it is
// not counted). "Around 2,900 trainees - which NHS England said was a record number and was
// understood to be an increase of around 1,000 on last year's intake - are expected to start
// courses within the IAPT programme" (PA report of NHS England's announcement, August 2020) [S87]
// A: the September 2019 cohorts, still in training on 1 April 2020, were ~1,900, not the 2,926 of
// 2020/21 [S1] that the scenario held until this report was found (outside even its own +-15%
// range). The scenario now starts with trainees_2019 = 1,926 (2,926 less 1,000) split as in
// 2020/21 [X]; this checks that they come back out: the PWPs and HITs who qualify in 2020/21 are
// those trainees less five months of drop-out (5-6.5% a year): 1,926 x ~0.975 = ~1,880. Tolerance:
// "around 1,000" read as 900-1,100, so 1,826-2,026 in training, and 1,826 x 0.95 at the least.
TEST(ExternalValidation, InputTalkingTherapiesTraineesOnApril2020) {
  const auto l = shipped("adult_talking_therapies");
  const auto s = test::run_in_memory(l, 92, model::RecordLevel::census);
  const int pwp_trainee = l.spec.state_index("pwp_trainee"), pwp = l.spec.state_index("pwp");
  const int hit_trainee = l.spec.state_index("hit_trainee"), hit = l.spec.state_index("hit");
  double in_training = 0;
  for (const auto& st : l.spec.stock)
    if (st.state == pwp_trainee || st.state == hit_trainee) in_training += static_cast<double>(st.count);
  const double qualified_2020_21 = flow_in_period(s, pwp_trainee, pwp, 0) + flow_in_period(s, hit_trainee, hit, 0);
  RecordProperty("model_qualified_2020_21", std::to_string(qualified_2020_21));
  EXPECT_GE(in_training, 2926 - 1100);
  EXPECT_LE(in_training, 2926 - 900);
  EXPECT_GE(qualified_2020_21, (2926 - 1100) * 0.95);
  EXPECT_LE(qualified_2020_21, in_training);
}

// Adult talking therapies: EXPECTED DISCREPANCY, WEAK. NHS England's case study of Westminster
// Talking Therapies (undated; in its staff wellbeing series, ~2017) reports "a higher than average
// level of staff retention: 45 per cent of the team have worked in the service for more than four
// years" [S88] A, so the national share is below 45%. Inputs: PWP and HIT turnover split into
// leaving, other NHS moves and provider moves [S13][S40], the PWP -> HIT ladder [S14] and the
// 2020 stock of 4,000 PWPs and 5,000 HITs [X]; time in the workforce is the model's. Design and
// agreement, fixed before running: on 1 April 2025 (1,826 days in, so every member of the 2020
// stock has five years or more), the share of the talking-therapies team (PWP and HIT, trainees
// and qualified) who arrived more than four years earlier; agreement = below 45% (one-sided: the
// source gives no lower bound). The model gives ~47% (seed 90; ~0.5 points between runs; ~49%
// before the trainees in stock were corrected from S87), above the bound: the 2020 stock of
// qualified staff (9,000 [X], 8% a year of the HITs leaving) still makes up most of the long-serving. WEAK: one London service, undated; and the model counts time
// in the workforce, which provider-to-provider moves (2% a year [S13][S40], kept in the role here)
// do not interrupt, while "in the service" does (they could take ~4 points off). The test asserts
// the gap, so that a younger or smaller stock, or more leaving, turns it into a validation.
TEST(ExternalValidation, ExpectedDiscrepancyTalkingTherapiesTeamOverFourYears) {
  const auto l = shipped("adult_talking_therapies");
  const auto s = test::run_in_memory(l, 90);
  std::set<int> team;
  for (const char* name : {"pwp_trainee", "pwp", "hit_trainee", "hit"}) {
    const int code = l.spec.state_index(name);
    ASSERT_GE(code, 0) << name;
    team.insert(code);
  }
  const double april_2025 = 1826;  // days from 1 April 2020 (2024 is a leap year)
  const double share = share_in_team_longer_than(s, team, april_2025, 4);
  RecordProperty("model_share_over_four_years", std::to_string(share));
  EXPECT_LT(share, 0.60) << "the team no longer turns over: leaving or the ladder stopped";
  EXPECT_GE(share, 0.45) << "now below Westminster's 'higher than average' 45% [S88]: make this a validation";
}

// 2020 commissioning: EXPECTED DISCREPANCY by design. Health Education England's Annual Report
// 2021-22 (news of 5 August 2022): "the mental health workforce grew with an additional 1,578 peer
// support workers" [S83] A (baseline not stated; the list's other items count from 2019). Inputs:
// 862 peer support workers in 2019 [S22], the 300 trained in 2020/21 [S1], leaving 20% a year [X];
// the count on 31 March 2022 is the model's: ~790, i.e. ~70 FEWER than in 2019 (seed 91). Agreement would be
// an increase within 25% of 1,578 (the unstated baseline: from 2019 or from 2020/21), i.e. 1,183 or
// more. The scenario trains one year's cohort (its question is what that year adds), while the
// NHS went on recruiting and training peer workers, so it cannot reproduce this; the over-1,000 in
// 2023 [S72] above is the same gap seen from another source. The test asserts the gap, and that the
// 2019 stock and the 2020/21 cohort still come through (the stock alone, at 20% a year, is ~550 by
// March 2022, a change of about -310).
TEST(ExternalValidation, ExpectedDiscrepancyPeerSupportWorkersGrowthTo2022) {
  const auto l = shipped("mental_health_commissioning_2020");
  const auto s = test::run_in_memory(l, 91, model::RecordLevel::census);
  const int peer = l.spec.state_index("peer_support_worker");
  ASSERT_GE(peer, 0);
  const double published_2019 = 862;  // [S22], the scenario's stock and the report's likely baseline
  const double increase = census_in(s, {peer}, 1) - published_2019;  // 31 March 2022
  RecordProperty("model_increase_2019_to_march_2022", std::to_string(increase));
  EXPECT_GT(increase, -300) << "the 2020/21 cohort [S1] no longer comes through";
  EXPECT_LT(increase, 1578 * 0.75) << "one year's training now gives HEE's +1,578: make this a validation";
}

// ---- 2020 commissioning and CYP (facts8) ----

namespace {
// The 2020 commissioning's HIT trainees of 2020/21 (route adult_iapt_hit, 1 September 2020; not the
// PWPs of the cohort who move into HIT training from 2023): the share of those who qualified still in
// their HIT post, averaged over six survey dates 0.5, 1.5, ..., 5.5 years after the cohort qualified (as
// six yearly cohorts surveyed on one day would be). Sets `qualified`. (Until facts10 the scenario had one
// blended IAPT practitioner state, and this measured the whole adult IAPT cohort, PWPs included.)
double commissioning_hit_share_in_post(const scenario::LoadedScenario& l, std::uint32_t seed, double& qualified) {
  const auto s = test::run_in_memory(l, seed);
  const int trainee = l.spec.state_index("hit_trainee"), hit = l.spec.state_index("hit");
  if (trainee < 0 || hit < 0) return -1;
  std::unordered_map<int, bool> recruited;                // the route's recruits (first event, no from state)
  std::unordered_map<int, double> qualified_on, left_on;  // person -> day (days from 1 April 2020)
  for (const auto& e : test::events(s)) {
    if (e.from_state < 0 && e.to_state == trainee) recruited[e.person_id] = true;
    if (e.from_state == trainee && e.to_state == hit && recruited.count(e.person_id)) qualified_on[e.person_id] = e.day;
    if (e.from_state == hit && !left_on.count(e.person_id)) left_on[e.person_id] = e.day;
  }
  qualified = static_cast<double>(qualified_on.size());
  if (qualified_on.empty()) return -1;
  double first = 1e300;
  for (const auto& [id, day] : qualified_on) first = std::min(first, day);
  double share = 0;
  for (int k = 0; k < 6; ++k) {
    const double survey = first + (0.5 + k) * 365.2425;
    double in_post = 0;
    for (const auto& [id, day] : qualified_on) {
      const auto left = left_on.find(id);
      if (day <= survey && (left == left_on.end() || left->second > survey)) in_post += 1;
    }
    share += in_post / qualified / 6;
  }
  return share;
}

// CYP staff in post (trainees included, as NHS headcounts include them; not those on a break, nor
// recruits who have not started).
const char* const kCypStaff[] = {"cwp_trainee", "emhp_trainee", "cwp_qualified", "emhp_qualified",
                                 "cwp_returned", "emhp_returned", "senior_wp", "supervisor",
                                 "camhs_senior", "mhst_senior"};

struct CypStaffGrowth {
  double from_stock = -1;  // a year, headcount, 1 April 2020 (the stock) to 1 April 2022: two years
  double from_july = -1;   // a year, FTE, 1 July 2020 (the first census) to 1 April 2022: 1.75 years
};

// Annual growth of the CYP scenario's staff in post (kCypStaff) up to the quarterly census ending on or
// before 1 April 2022 (day 730), from two starts.
CypStaffGrowth cyp_staff_growth_per_year(const scenario::LoadedScenario& l, std::uint32_t seed) {
  CypStaffGrowth g;
  const auto s = test::run_in_memory(l, seed, model::RecordLevel::census);
  std::vector<int> staff;
  for (const char* name : kCypStaff) staff.push_back(l.spec.state_index(name));
  if (std::count(staff.begin(), staff.end(), -1) != 0) return g;
  namespace c = model::cols::census;
  int april_2022 = -1;
  double first_end = 0, last_end = 0;
  for (std::size_t i = 0; i < s.census().size(); ++i) {
    const double end = s.census()[c::period_end_day][i];
    if (s.census()[c::period][i] == 0) first_end = end;
    if (end <= 730.5 && static_cast<int>(s.census()[c::period][i]) > april_2022) {
      april_2022 = static_cast<int>(s.census()[c::period][i]);
      last_end = end;
    }
  }
  double stock = 0;
  for (const auto& st : l.spec.stock)
    if (std::find(staff.begin(), staff.end(), st.state) != staff.end()) stock += static_cast<double>(st.count);
  const double july_fte = census_in(s, staff, 0, true);
  if (april_2022 <= 0 || stock <= 0 || july_fte <= 0) return g;
  g.from_stock = std::pow(census_in(s, staff, april_2022) / stock, 365.2425 / last_end) - 1;
  g.from_july = std::pow(census_in(s, staff, april_2022, true) / july_fte, 365.2425 / (last_end - first_end)) - 1;
  return g;
}
}  // namespace

// 2020 commissioning: REPRODUCED, WEAK. Of 212 past trainees of the KCL IAPT High Intensity CBT course (six
// cohorts, 2008-2014 intakes), 196 answered a follow-up survey and 79% still worked in IAPT services (Liness
// et al., Behav Cogn Psychother 2017) [S70] E; the adult talking therapies scenario reproduces it too
// (TalkingTherapiesHitTraineesStayInIapt). Inputs here: the 2,926 adult IAPT trainees of 2020/21 [S1], of
// them HITs 40% [X] (the adult scenario's split), one year's training [S14], HIT drop-out 5% a year [X], and
// the HITs' 12% turnover [S13] E split as DOMAIN-PARAMETERS' rule says (as the adult scenario does): 8%
// leaving the NHS, 2% moving to other NHS roles, 2% moving between providers and staying in post [S13][S40]
// A; the share still in post is the model's. Design and agreement, fixed before running (facts8; the same as
// the adult scenario's test): the one 2020/21 cohort, surveyed 0.5, 1.5, ..., 5.5 years after it qualified
// (as six yearly cohorts surveyed on one day), the six shares averaged; agreement = within the survey's 95%
// binomial interval, 79% +- 5.7 points (n = 196): 73.3-84.7%. History, so the reader can weigh it: this fact
// was seen (facts8) while the scenario had PWPs and HITs as one group and counted the whole blended 18% IAPT
// turnover [S13] A as leaving, which gave ~61% (60.2, 61.0, 61.1, 60.5, 60.5% with seeds 97, 98, 1, 2, 3), an
// expected discrepancy as this test then asserted; facts9 split that 18% as the written rule says (14%
// leaving, 2% to other NHS roles, 2% between providers), ~63.5% (63.0-64.1%), still below. facts10 then gave
// the scenario adult_talking_therapies.toml's structure from that scenario's own sources (PWP and HIT states,
// each role's S13 turnover, the PWP -> HIT ladder), again for the rule's sake and not fitted to this fact, and
// the cohort measured became the HIT trainees of 2020/21, the people KCL surveyed (PWPs who move into HIT
// training later are left out: they qualify from 2024, not with the cohort). The model now gives ~75.6%
// (76.8, 76.6, 75.5, 75.8, 73.2% with seeds 97, 98, 1, 2, 3; ~1,120 qualify; 10% a year out of the role gives
// 75.2% expected): inside the interval on average and at seed 97, but near its lower edge (seed 3 is just
// below, so another seed can fail this test; the seed is fixed). WEAK: the survey date is not known,
// non-response (16 of 212) may lift the published share, the 60/40 split [X] sets only the cohort's size,
// and the share is S13's 12% less the 2 points of provider moves [S13][S40] A, so the test checks that split
// more than the simulation.
TEST(ExternalValidation, CommissioningHitTraineesStayInIapt) {
  const auto l = shipped("mental_health_commissioning_2020");
  double qualified = 0;
  const double share = commissioning_hit_share_in_post(l, 97, qualified);
  RecordProperty("model_share_in_post", std::to_string(share));
  RecordProperty("model_hit_qualifiers_2021", std::to_string(qualified));
  ASSERT_GT(qualified, 1000) << "1,170 HIT places [S1]/[X] less drop-out";
  EXPECT_GE(share, 0.79 - 0.057) << "below the KCL survey's 95% interval [S70]";
  EXPECT_LE(share, 0.79 + 0.057) << "above the KCL survey's 95% interval [S70]";
}

// CYP: EXPECTED DISCREPANCY, weak (marginal, and sensitive to the start). NHS England, 4 August 2022: "Around
// 4,500 more people have joined the NHS children's mental health services in England - 40% more than before the
// pandemic"; "between March 2019 and March 2022 ... the children and young people workforce [grew] by nearly
// 4,500" (full-time staff) [S97] A: 1.40^(1/3) - 1 = 11.9% a year. Inputs: the CAMHS senior establishment held
// at 4,000 [S53] A / [X], the MHST roll-out (teams by year [S9][S10] and 4 EMHPs and 3 seniors per team [S8]),
// CWP places [S1] and all the leaving, moves and breaks [S40]/[X]; the growth of the staff in post (kCypStaff:
// trainees, qualified CWPs and EMHPs, SWPs, supervisors, CAMHS and MHST seniors) is the model's. Agreement:
// within 2 points a year of 11.9% (the tolerance fixed for S66 against the adult scenario, a wider group
// starting a year earlier; here too the source counts all NHS CYPMH staff from March 2019). History, so the
// reader can weigh it: the design was first written (before running) as the growth from the stock on 1 April
// 2020 to 1 April 2022 against "40%" read as two years' growth; reading the fuller report (three years,
// full-time staff) changed the target to a rate a year, the start kept. The model gives ~8.9% a year, headcount
// (8.9, 8.8, 9.0, 9.1, 9.0% with seeds 97, 98, 1, 2, 3): below the band. Seen after that, and recorded, not
// asserted: from the first census (1 July 2020, FTE) the rate is ~11.9% (11.8-12.0%), because the stock starts
// with all 4,000 CAMHS posts filled and none being refilled, and ~125 of them (and ~70 CWP posts) empty by the
// end of the first quarter while the backfill pipeline fills; and from April 2021 to April 2022 it is ~9.6%
// (seed 97). So the gap is the scenario's flat CAMHS establishment (real CYPMH services grew in every role) plus
// its start; a sourced CAMHS vacancy rate at the start, or growth of CAMHS posts, would be the fix. All these
// numbers were with teams_2021/2022 interpolated (230/315). With S98's counts of teams set up or in training
// (183/287, facts9, an input correction not made for this fact) the gap widens: 7.2, 7.2, 7.4, 7.7, 7.4% a year
// from the stock (same seeds) and 9.7-10.3% from the first census. The test asserts the gap on the design as
// fixed, and that the MHST roll-out still grows the workforce.
TEST(ExternalValidation, ExpectedDiscrepancyCypMentalHealthWorkforceGrowth) {
  const auto l = shipped("cyp_psychological_professions");
  const auto g = cyp_staff_growth_per_year(l, 98);
  RecordProperty("model_growth_per_year_from_stock_headcount", std::to_string(g.from_stock));
  RecordProperty("model_growth_per_year_from_july_2020_fte", std::to_string(g.from_july));
  ASSERT_GT(g.from_july, -1) << "a state was renamed";
  EXPECT_GT(g.from_stock, 0.03) << "the MHST roll-out no longer grows the CYP workforce";
  EXPECT_LT(g.from_stock, 0.119 - 0.02)
      << "now within 2 points of NHS England's ~12% a year [S97]: make this a validation";
}

// ---- medical and clinical psychology (facts7) ----

namespace {
// Pharmacy registration-assessment sittings by attempt (first, second, third) in census periods
// [first_period, last_period] (financial years from 2020/21). In the model the June sitting holds the
// first attempts (the foundation year ends) and the third (failed in November), the November sitting
// the second (failed in June): so a financial year holds one June and one November sitting, as a
// calendar year does in GPhC's results.
struct Sittings {
  double first = 0, second = 0, third = 0;
  double total() const { return first + second + third; }
};
Sittings pharmacy_sittings(const scenario::LoadedScenario& l, const model::MemorySink& s, int first_period,
                           int last_period) {
  const int trainee = l.spec.state_index("foundation_pharmacist"), resit = l.spec.state_index("resit_wait");
  const int third = l.spec.state_index("third_attempt_wait"), reg = l.spec.state_index("registered_pharmacist");
  const int failed = l.spec.state_index("not_registered");
  Sittings n;
  for (int p = first_period; p <= last_period; ++p) {
    n.first += flow_in_period(s, trainee, reg, p) + flow_in_period(s, trainee, resit, p);
    n.second += flow_in_period(s, resit, reg, p) + flow_in_period(s, resit, third, p);
    n.third += flow_in_period(s, third, reg, p) + flow_in_period(s, third, failed, p);
  }
  return n;
}

// GPhC's sittings by attempt, June and November of one year (GPhC candidates, the breakdown given).
constexpr double kResitShare2023 = (229.0 + 99.0 + 457.0 + 85.0) / (2681.0 + 1042.0);  // 23.4% [S29]
constexpr double kResitShare2024 = (111.0 + 66.0 + 499.0 + 103.0) / (2535.0 + 1125.0);  // 21.3% [S93]
constexpr double kThirdShare2023 = (99.0 + 85.0) / (2681.0 + 1042.0);                   // 4.9% [S29]
constexpr double kThirdShare2024 = (66.0 + 103.0) / (2535.0 + 1125.0);                  // 4.6% [S93]
// Agreement for a share of sittings: within the 2023-24 range widened by 1.5 points (one year of
// GPhC's ~3,700 sittings has a binomial sd of ~0.7 points on these shares, the six simulated years
// the tests sum ~0.3; the GPhC-only breakdowns leave out ~3-7% of candidates, PSNI's; and the
// published shares moved 2 points from 2023 to 2024).
constexpr double kSittingShareTolerance = 0.015;
}  // namespace

// Medical and pharmacy, second reproduced fact (a composition of the sittings, not a pass rate).
// Resits, second and third attempts together, were 23.4% of the registration-assessment sittings
// in 2023 (GPhC candidates: June 229 second and 99 third of 2,681; November 457 and 85 of 1,042)
// [S29] E and 21.3% in 2024 (June 111 and 66 of 2,535; November 499 and 103 of 1,125) [S93] E
// (shares derived here, A). Inputs: the first-sitting pass rates by ethnicity [S29][S30], one
// resit pass rate for the second and third attempts (55%, from the June resitters [S29]), the
// next sitting for every resit and three attempts at most [S29] A; the attempt counts were not
// used. The model's share follows from them: 21% fail the first sitting and resit in November,
// 45% of those fail again and sit a third time, 23.4% (computed from the inputs before the run;
// 23.1%, 23.0%, 23.3% with seeds 701, 702, 703, FY 2023/24-2028/29). Tolerance: the 2023-24
// range +-1.5 points (kSittingShareTolerance). WEAK, near its inputs: the share is mostly the
// first-sitting fail rate, and it comes out right although the model has no first sitters in
// November (500 in 2023) and too many third attempts (next test): the two offset.
TEST(ExternalValidation, PharmacyResitShareOfSittings) {
  const auto l = shipped("medical_and_pharmacy");
  const auto s = test::run_in_memory(l, 701, model::RecordLevel::census);
  const Sittings n = pharmacy_sittings(l, s, 3, 8);  // 2023/24 to 2028/29: past the 2020-21 cohorts
  ASSERT_GT(n.total(), 6 * 3000.0);
  const double resit_share = (n.second + n.third) / n.total();
  RecordProperty("model_resit_share_of_sittings", std::to_string(resit_share));
  EXPECT_GE(resit_share, std::min(kResitShare2023, kResitShare2024) - kSittingShareTolerance);
  EXPECT_LE(resit_share, std::max(kResitShare2023, kResitShare2024) + kSittingShareTolerance);
}

// Medical and pharmacy: EXPECTED DISCREPANCY. Third attempts were 4.9% of the registration-
// assessment sittings in 2023 (99 in June, 85 in November, of 3,723 GPhC sittings) [S29] E and
// 4.6% in 2024 (66 and 103 of 3,660) [S93] E. The model's share is ~7.2% (7.0%, 7.4%, 7.3% with
// seeds 704, 705, 706): 45% of its November resitters fail, since its one resit pass rate (55%
// [S29]) is that of the June resitters (50% second, 59% third time in June 2023), while most
// second attempts are in November, where second-time sitters passed 72% (329 of 457, November
// 2023) [S29] E and 65% (324 of 499, November 2024) [S93] E; and not every failure resits
// (457 second-time sitters in November 2023 after ~490 first-time failures in June [S29]).
// A November resit rate would correct the input (and make these counts near-inputs), so it is
// not changed here. Agreement would be within the 2023-24 range +-1.5 points, the rule of the
// previous test; the test asserts the model is above it, so that a change which closes the gap
// fails here and is looked at, and that third attempts still happen.
TEST(ExternalValidation, ExpectedDiscrepancyPharmacyThirdAttemptShare) {
  const auto l = shipped("medical_and_pharmacy");
  const auto s = test::run_in_memory(l, 704, model::RecordLevel::census);
  const Sittings n = pharmacy_sittings(l, s, 3, 8);
  ASSERT_GT(n.total(), 6 * 3000.0);
  const double third_share = n.third / n.total();
  RecordProperty("model_third_attempt_share_of_sittings", std::to_string(third_share));
  EXPECT_GT(third_share, 0.02) << "third attempts [S29] no longer happen";
  EXPECT_GT(third_share, std::max(kThirdShare2023, kThirdShare2024) + kSittingShareTolerance)
      << "the model now reproduces GPhC's third attempts: make this a validation";
}

// Clinical psychology: EXPECTED DISCREPANCY, WEAK. Practitioner psychologists on the HCPC register
// rose from 25,634 (3 November 2020) to 30,156 (1 January 2025) (HCPC registrant snapshots) [S94] E,
// +17.6% in 4.16 years, 4.0% a year (UK-route registrants 23,872 -> 27,573, 3.5% a year). Inputs:
// the qualified stock on 1 April 2020 (6,000 at band 7, 3,500 at 8a [X]), leaving 8% a year [X],
// 94.2% of graduates taking CP posts [S18] and the places [S1][S19][S85]; the change of qualified
// clinical psychologists in NHS posts from 1 April 2020 to 31 March 2025 is the model's: -1.6%,
// -1.8%, -1.7% a year (seeds 707, 708, 709), as ~720 leavers a year (8% of ~9,000) outnumber the
// graduates who take CP posts (~480-500 a year in 2020-22, ~630 in 2023, ~820 in 2024: 94.2% of
// the places three years before, less dropout). WEAK: the register counts every domain (clinical
// ~56% in 2016) in every sector of the UK, and registrants who leave the NHS stay on it; a single
// year can stall (25,684 on 1 November 2021 [S94]), so the four-year span is used. Agreement would be
// within 2 points a year (as for S66, a wider group); the test asserts the model grows more slowly,
// so that a change that grows the qualified workforce as the register and ESR [S66] show (less
// leaving [X], a larger stock [X]) fails here and is looked at.
TEST(ExternalValidation, ExpectedDiscrepancyPractitionerPsychologistsRegisterGrowth) {
  const auto l = shipped("clinical_psychology");
  const auto s = test::run_in_memory(l, 707, model::RecordLevel::census);
  const std::vector<int> qualified = {l.spec.state_index("cp_qualified"), l.spec.state_index("cp_awaiting_8a"),
                                      l.spec.state_index("cp_8a")};
  ASSERT_EQ(std::count(qualified.begin(), qualified.end(), -1), 0) << "a state was renamed";
  const double april_2020 = cp_in(l, s, qualified, -1), march_2025 = cp_in(l, s, qualified, 4);
  ASSERT_GT(april_2020, 9000);
  const double per_year = std::pow(march_2025 / april_2020, 1.0 / 5.0) - 1;
  const double published = std::pow(30156.0 / 25634.0, 1.0 / 4.16) - 1;  // 3.98% a year
  RecordProperty("model_qualified_growth_per_year", std::to_string(per_year));
  EXPECT_GT(per_year, -0.05) << "the qualified CP workforce collapses";
  EXPECT_LT(per_year, published - 0.02) << "the model now grows like the HCPC register: make this a validation";
}

// Clinical psychology: EXPECTED DISCREPANCY about an input held constant. "In 2018, there were 593
// places to train as a Clinical Psychologist in the UK, and 1 in 6 applicants were successful. In
// 2022, this number had nearly doubled to 1155 places. That year, 1 in 4 applicants were successful"
// (J. Johnson, 27 January 2023, from the Clearing House figures) [S96] A; the Clearing House table
// [S18] shows the start of it: 15-16% in 2014-19, 18% in 2020 when places rose 25% and applicants 4%.
// Inputs: the selection rates of the 2018 entry by ethnicity [S20], held for every year, and an
// applicant mix [X]; the scenario sets its applicants to places / mean rate, so applicants grow with
// the places and the success rate stays at 2018's. The model's 2022 round gives ~15.0% (14.5%,
// 15.3%, 15.1% with seeds 710, 711, 712). Agreement would be within 5 points of 25% ("1 in 4" is
// one significant figure, a UK figure against England's places); the test asserts the model is
// below 20%, so that selection from a finite applicant pool (applicants growing more slowly than
// places, the published pattern), which would close the gap, fails here and is looked at.
TEST(ExternalValidation, ExpectedDiscrepancyClinicalPsychologyApplicantSuccessIn2022) {
  const auto l = shipped("clinical_psychology");
  const auto s = test::run_in_memory(l, 710, model::RecordLevel::census);
  const int applicant = l.spec.state_index("cp_applicant"), trainee = l.spec.state_index("cp_trainee");
  const int rejected = l.spec.state_index("not_selected");
  const int round_2022 = 2;  // applied September 2022, selected 60 days later: financial year 2022/23
  const double selected = flow_in_period(s, applicant, trainee, round_2022);
  const double applied = selected + flow_in_period(s, applicant, rejected, round_2022);
  ASSERT_GT(applied, 2000);  // the 2022 round ran (~7,300 applicants at the S20 rates)
  const double success = selected / applied;
  RecordProperty("model_applicant_success_2022", std::to_string(success));
  EXPECT_GT(success, 0.12) << "selection no longer runs at the S20 rates";
  EXPECT_LT(success, 0.25 - 0.05) << "the model now reproduces 1 in 4 in 2022: make this a validation";
}

// ---- clinical psychology and CYP (facts11) ----

namespace {
// The Clearing House's equal-opportunities monitoring, UK applicants and accepted applicants by
// ethnic group (White, Asian, Black, Mixed, Other; "prefer not to say" left out), 2020-2024 entry
// [S103] E; rows in the order of the scenarios' ethnicity levels.
struct ClearingHouseRound {
  int year;
  double applicants[5], accepted[5];
};
constexpr ClearingHouseRound kClearingHouse[] = {
    {2020, {3193, 337, 220, 177, 103}, {627, 43, 27, 32, 22}},
    {2021, {3363, 379, 260, 211, 135}, {752, 73, 56, 56, 26}},
    {2022, {3365, 458, 259, 225, 137}, {862, 102, 60, 59, 34}},
    {2023, {3625, 540, 268, 285, 162}, {892, 105, 53, 87, 24}},
    {2024, {3994, 603, 310, 342, 229}, {846, 116, 56, 67, 50}},
};
double white_share(const double (&by_group)[5]) {
  double all = 0;
  for (double n : by_group) all += n;
  return by_group[0] / all;
}

// Clinical psychology applicants and selected applicants by ethnicity level, over the selection
// rounds of September `first_year` to September `last_year` (decided 60 days after applying).
struct Selection {
  double applicants[5] = {0, 0, 0, 0, 0}, selected[5] = {0, 0, 0, 0, 0};
  [[nodiscard]] double total_applicants() const { return std::accumulate(applicants, applicants + 5, 0.0); }
  [[nodiscard]] double total_selected() const { return std::accumulate(selected, selected + 5, 0.0); }
};
Selection cp_selection(const scenario::LoadedScenario& l, const model::MemorySink& s, int first_year,
                       int last_year) {
  const int selected = l.spec.event_index("selected"), rejected = l.spec.event_index("not_selected");
  const double year_days = 365.2425;
  Selection out;
  for (const auto& e : test::events(s)) {
    if (e.event != selected && e.event != rejected) continue;
    const int round = 2020 + static_cast<int>(e.day / year_days);  // decided in October, inside its FY
    if (round < first_year || round > last_year) continue;
    const int g = test::attribute(s.persons(), 0)[e.person_id];
    out.applicants[g] += 1;
    if (e.event == selected) out.selected[g] += 1;
  }
  return out;
}
}  // namespace

// Clinical psychology, second reproduced fact (WEAK: two input errors offset, see the next test).
// Of the UK applicants accepted onto DClinPsy courses who stated an ethnic group, 83.5% (2020),
// 78.1%, 77.2%, 76.8% and 74.5% (2024) were White (the Clearing House's equal-opportunities tables,
// via a cleaned copy of them; shares derived here; only applicants who agreed to publication are
// counted: 4,099 of the 4,225 applicants of 2020 [S18]) [S103] A. Inputs: the selection rates by
// ethnic group of the 2018 entry [S20] (the same tables' 2018 row), held for every round, and an
// applicant pool that is 70% White [X]; the White share of those selected is the model's. Expected from the
// inputs before the run: 0.70 x 16.7% / 14.6% = 80.2%; the run gives 78.6% (seed 1101; 79.5-81.4%
// with seeds 1103-1110). Measured over the selection rounds of September 2020 to September 2024
// together (~4,700 selected; the seeds' sd is ~0.7 points).
// Tolerance: the range of the published years, 74.5-83.5%: the model holds one selection regime for
// every round, while the published share moved 9 points in five years (a year's sampling sd is ~1.3
// points; the rest is real change: the applicant pool grew more diverse, the gaps narrowed from
// 2021); England's places are ~90% of the UK's [S85][S95]. WEAK: the scenario's applicant pool is
// more diverse than the published one (70% White against 79% in 2020 and 73% in 2024 [S103]) and
// its selection gaps are 2018's, which the published rates closed most of from 2021; the two offset.
TEST(ExternalValidation, ClinicalPsychologyEntrantsWhiteShare) {
  const auto l = shipped("clinical_psychology");
  const auto s = test::run_in_memory(l, 1101);
  const Selection n = cp_selection(l, s, 2020, 2024);
  ASSERT_GT(n.total_selected(), 4000);  // five rounds at 685-1,065 places
  double lowest = 1, highest = 0;
  for (const auto& round : kClearingHouse) {
    lowest = std::min(lowest, white_share(round.accepted));
    highest = std::max(highest, white_share(round.accepted));
  }
  const double model = white_share(n.selected);
  RecordProperty("model_white_share_of_entrants_2020_2024", std::to_string(model));
  EXPECT_GE(model, lowest);   // 74.5% (2024)
  EXPECT_LE(model, highest);  // 83.5% (2020)
}

// Clinical psychology: EXPECTED DISCREPANCY, the scenario's own question (does selection make the
// qualified workforce less diverse than its applicants?). The White share of accepted applicants
// exceeded the White share of applicants by 4.3 points in 2020 (5.3 in 2018, 5.5 in 2019) and by
// 0.7, 1.5, 2.5 and 1.6 points in 2021-2024 [S103] A: from 2021 the success rates of Black and
// Asian applicants came within 10-20% of White applicants' (Black/White 0.52 in 2018 [S20], then
// 0.96, 0.90, 0.80, 0.85; Asian/White 0.55, then 0.86-0.91 [S103]), after HEE required courses to
// act on the diversity of entrants from the 2020 expansion [S104]. The scenario holds the 2018
// rates [S20] (gap_closed = 0 is the policy lever's baseline) on a pool 70% White [X]: the model's
// gap over the 2021-2024 rounds is ~10 points (80.2 - 70, from the inputs before the run; the run
// gives 10.2, seed 1102; 9.6-11.2 with seeds 1103-1110). Most of it is the held rates: 2018's
// rates on 2022's published pool give ~8 points, 2022's published rates on the model's pool ~2
// (and the pool as published, ~76% White, with gap_closed = 0.75 gives 2.8, checked by editing the
// scenario and restoring it). Agreement would be within 2 points of the 2021-24 pooled 1.7; the
// test asserts the model's gap is above the largest published one (5.5) plus a point, so that a
// baseline that closes the gaps as published (gap_closed ~0.75 from April 2021 would) fails here
// and is looked at.
TEST(ExternalValidation, ExpectedDiscrepancyClinicalPsychologySelectionGap) {
  const auto l = shipped("clinical_psychology");
  const auto s = test::run_in_memory(l, 1102);
  const Selection n = cp_selection(l, s, 2021, 2024);
  ASSERT_GT(n.total_applicants(), 20000);  // four rounds at ~6,100-7,300 applicants
  const double gap = white_share(n.selected) - white_share(n.applicants);
  double published_max = 0.055;  // 2019 [S103]
  for (const auto& round : kClearingHouse)
    published_max = std::max(published_max, white_share(round.accepted) - white_share(round.applicants));
  RecordProperty("model_white_share_gap_2021_2024", std::to_string(gap));
  EXPECT_GT(gap, 0.0) << "selection no longer differs by ethnicity [S20]";
  EXPECT_GT(gap, published_max + 0.01)
      << "the model now selects as the Clearing House shows: make this a validation";
}

// Clinical psychology: EXPECTED DISCREPANCY about an assumption (the reason the entrants' White share
// above agrees only weakly). Of the UK applicants who stated an ethnic group, 79.2% (2020), 77.3%,
// 75.7%, 74.3% and 72.9% (2024) were White [S103] A. The scenario's applicant pool is 70% White, 15%
// Asian, 8% Black [X] (published 2022: 75.7%, 10.3%, 5.8%; the scenario calls its pool "slightly
// more diverse" than S18's overall success implies); the model's share over the 2020-2024 rounds is
// ~70% (70.1%, seed 1111; ~33,000 applicants, a binomial sd of ~0.3 points). Agreement would be
// inside the published range, 72.9-79.2%; the test asserts the model is a point below its lowest
// year, so that a pool moved to the published one fails here and is looked at (with the 2018 rates
// held, that pool alone would select ~84-88% White entrants, outside the range of the test above).
TEST(ExternalValidation, ExpectedDiscrepancyClinicalPsychologyApplicantPoolWhiteShare) {
  const auto l = shipped("clinical_psychology");
  const auto s = test::run_in_memory(l, 1111);
  const Selection n = cp_selection(l, s, 2020, 2024);
  ASSERT_GT(n.total_applicants(), 25000);  // five rounds at ~4,700-7,300 applicants
  double lowest = 1;
  for (const auto& round : kClearingHouse) lowest = std::min(lowest, white_share(round.applicants));
  const double model = white_share(n.applicants);
  RecordProperty("model_white_share_of_applicants_2020_2024", std::to_string(model));
  EXPECT_GT(model, 0.5) << "the applicant pool lost its White majority [X]";
  EXPECT_LT(model, lowest - 0.01)
      << "the applicant pool now matches the Clearing House's: make this a validation";
}

// ---- CYP and the 2020 commissioning (facts12) ----

namespace {
// The census period ending last on or before `day` (days from 1 April 2020), or -1.
int period_ending_by(const model::MemorySink& s, double day) {
  namespace c = model::cols::census;
  int last = -1;
  double last_end = -1;
  for (std::size_t i = 0; i < s.census().size(); ++i) {
    const double end = s.census()[c::period_end_day][i];
    if (end <= day && end > last_end) {
      last_end = end;
      last = static_cast<int>(s.census()[c::period][i]);
    }
  }
  return last;
}

// The CYP scenario's CAMHS vacancy rate, FTE, at the census ending on or before `day`: the funded
// CAMHS senior posts (the camhs_senior stock, which fills every one of the camhs_posts on 1 April
// 2020) less the FTE of CAMHS seniors in post, over the posts. -1 if a state was renamed.
double camhs_vacancy_rate(const scenario::LoadedScenario& l, const model::MemorySink& s, double day) {
  const int camhs = l.spec.state_index("camhs_senior");
  double posts = 0;
  for (const auto& st : l.spec.stock)
    if (st.state == camhs) posts += static_cast<double>(st.count);
  const int period = period_ending_by(s, day);
  if (camhs < 0 || posts <= 0 || period < 0) return -1;
  return (posts - census_in(s, {camhs}, period, true)) / posts;
}

// Leaving the NHS (mental health) workforce in financial year 2021/22: people moving into an exit
// whose role is left_nhs or did_not_complete in the census periods of that year, over the mean
// headcount of staff in post (roles staff and trainee) at its start and end (the censuses ending
// on or before 1 April 2021 and 1 April 2022), as NHS leaver rates divide by the mean of the
// counts at the start and end. Moves to other NHS roles or training are not counted. -1 if no
// census falls at those dates.
double leaving_rate_2021_22(const scenario::LoadedScenario& l, const model::MemorySink& s) {
  std::vector<int> staff;
  std::set<int> exits;
  for (std::size_t i = 0; i < l.spec.states.size(); ++i) {
    const auto role = l.spec.states[i].role;
    if (role == model::StateRole::staff || role == model::StateRole::trainee) staff.push_back(static_cast<int>(i));
    if (role == model::StateRole::left_nhs || role == model::StateRole::did_not_complete)
      exits.insert(static_cast<int>(i));
  }
  const int start = period_ending_by(s, 365.2425 + 0.5), end = period_ending_by(s, 2 * 365.2425 + 0.5);
  if (start < 0 || end <= start) return -1;
  namespace f = model::cols::flows;
  const auto& t = s.flows();
  double leavers = 0;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[f::period][i] > start && t[f::period][i] <= end && exits.count(t[f::to_state][i])) leavers += t[f::count][i];
  const double mean_staff = (census_in(s, staff, start) + census_in(s, staff, end)) / 2;
  return mean_staff > 0 ? leavers / mean_staff : -1;
}
}  // namespace

// 2020 commissioning: REPRODUCED, WEAK (its second fact; the first, S70, is weak too). "During 2021-22,
// 17,000 staff (13%) left the NHS mental health workforce" (National Audit Office, Progress in improving
// mental health services in England, February 2023); the Public Accounts Committee's report on it gives the
// same 17,000 as 12% [S106] E: 12-13%. Inputs: each role's leaving or turnover (peer support 20% [X]; PWP 25%
// and HIT 12% turnover [S13], less the provider and other-NHS moves that DOMAIN-PARAMETERS' rule splits off
// [S13][S40] A; CYP PWPs 15% in their first two years [X]; responsible clinicians 6% [S25] A; cancer support
// workers 15% [X]) and drop-out in training [X]; the share of the scenario's staff who leave in 2021/22 is the
// model's, a mean of those rates weighted by who is where in the year after the 2020/21 intakes. Design and
// agreement, fixed before running (facts12): leavers = moves into a left_nhs or did-not-complete exit in
// financial year 2021/22, over the mean headcount of staff and trainees in post at 1 April 2021 and 1 April
// 2022 (as NHS leaver rates divide by the mean of the counts at the start and end); moves to other NHS roles
// or training are not counted; agreement = 10.5-14.5% (12.5% +- 2 points: the two published roundings of one
// count, and the scenario's roles against all NHS mental health staff). Expected from the inputs before the
// run: ~11.5%. The model gives 11.3% (seed 1203; ~520 leavers of ~4,600 staff; 11.8% on average, 10.7-13.3%
// over seeds 1201-1220, all inside; counting the ~40 moves to other NHS roles too would add ~1 point). WEAK:
// the scenario's 2021/22 workforce is one cohort in or just out of training plus the peer support stock, not
// the tenure mix of the NHS mental health workforce, and its rate is a weighted mean of input rates (the peer
// support workers' 20% [X] and the PWPs' ~21% carry ~70% of it), so the test checks their level, not a
// dynamic; and it sits nearer the lower edge than the middle.
TEST(ExternalValidation, CommissioningLeavingIn2021To22) {
  const auto l = shipped("mental_health_commissioning_2020");
  const auto s = test::run_in_memory(l, 1203, model::RecordLevel::census);
  const double rate = leaving_rate_2021_22(l, s);
  RecordProperty("model_leaving_rate_2021_22", std::to_string(rate));
  ASSERT_GT(rate, 0) << "no census at 1 April 2021 and 2022";
  EXPECT_GE(rate, 0.125 - 0.02) << "below NAO's 12-13% [S106]";
  EXPECT_LE(rate, 0.125 + 0.02) << "above NAO's 12-13% [S106]";
}

// CYP: EXPECTED DISCREPANCY. The same 12-13% of NHS mental health staff leaving in 2021-22 [S106], against
// the CYP scenario's staff in post (CAMHS and MHST seniors, CWPs, EMHPs, senior wellbeing practitioners,
// supervisors; trainees included), with the design and agreement of the test above (fixed before running).
// Expected from the inputs before the run: ~9-10%. The model gives 9.8% (seed 1202; ~640 leavers of ~6,550;
// 9.2% on average, 8.7-9.9% over seeds 1201-1220): ~350 of the leavers are CAMHS seniors, who leave at S40's
// 8.1%, NHS England's retention headline rate for all staff in August 2023, a lower measure than the
// leaving-active-service rates of 2021-22 (12.5% for all hospital and community staff in the year to
// September 2022 [S40] A), which the NAO's figure resembles. So the gap is the choice (and the date) of the
// CAMHS leaving rate [S40], an input, more than the simulation. Agreement would be 10.5-14.5%; the test
// asserts the model is below it, so that a CAMHS leaving rate taken from the 2021-22 leaver statistics fails
// here and is looked at (this fact would then be near an input).
TEST(ExternalValidation, ExpectedDiscrepancyCypLeavingIn2021To22) {
  const auto l = shipped("cyp_psychological_professions");
  const auto s = test::run_in_memory(l, 1202, model::RecordLevel::census);
  const double rate = leaving_rate_2021_22(l, s);
  RecordProperty("model_leaving_rate_2021_22", std::to_string(rate));
  ASSERT_GT(rate, 0) << "no census at 1 April 2021 and 2022";
  EXPECT_GT(rate, 0.05) << "the CYP workforce no longer leaves at the NHS rates [S40]";
  EXPECT_LT(rate, 0.125 - 0.02) << "now within 2 points of NAO's 12-13% [S106]: make this a validation";
}

// CYP: EXPECTED DISCREPANCY about the scenario's own output, CAMHS vacancies. The vacancy rate for all staff
// in NHS provider trusts (planned FTE less FTE in post, over planned) was 7.6% in June 2021 and 9.7% in June
// 2022, against 9.2% before the pandemic (June 2019) (parliamentary written answer 139189, February 2023)
// [S105] E; mental health trusts had 9.5% in September 2018, and in the mental health sector registered
// nurses 10.5% and doctors 13.15% in March 2018 (answers 213408, 170943) [S105] E. Inputs: the 4,000 CAMHS
// senior posts held flat [S53] A / [X], CAMHS leaving 8.1% [S40], moves to MHSTs (camhs_pull_share [X], ~5% of
// the posts a year), career breaks [X], quarterly recruiting, the backfill lag (0.25 year [X]) and the labour
// pool [X]; the vacancy rate is the model's. Design and agreement, fixed before running (facts12): CAMHS posts
// only (MHST senior posts are refilled each September to an establishment that the moves from CAMHS through
// the year can overrun, and CWP and EMHP posts have no vacancy state), FTE: (posts - FTE of CAMHS seniors in
// post) / posts at the censuses ending 30 June 2021 and 30 June 2022, each within 3 points of the published
// rate (4.6-10.6% and 6.7-12.7%: the source counts every staff group of every trust, and staff group moves a
// rate by ~3 points in the figures above). The model gives 5.0% and 5.9% (seed 1201; on average 5.2% and 5.7%,
// 4.4-5.7% and 5.1-6.3% over seeds 1201-1220): June 2021 inside (at the lower edge), June 2022 below at every
// seed. About 15% of the CAMHS posts fall vacant a year and each stays empty ~4-5 months (the wait for the
// next quarterly recruit and the lag [X]), ~5-6% in all; the published rate rose 2 points in a year as trusts'
// planned workforce grew faster than their staff (the answer's own reading), while the scenario holds the
// CAMHS establishment flat (the growth gap of S97 again). The test asserts June 2022 below its band, so that a
// growing establishment or slower backfill that closes the gap fails here and is looked at.
TEST(ExternalValidation, ExpectedDiscrepancyCypCamhsVacancyRate) {
  const auto l = shipped("cyp_psychological_professions");
  const auto s = test::run_in_memory(l, 1201, model::RecordLevel::census);
  const double june_2021 = camhs_vacancy_rate(l, s, 456.5), june_2022 = camhs_vacancy_rate(l, s, 821.5);
  RecordProperty("model_camhs_vacancy_rate_june_2021", std::to_string(june_2021));
  RecordProperty("model_camhs_vacancy_rate_june_2022", std::to_string(june_2022));
  ASSERT_GE(june_2022, 0) << "a state was renamed";
  EXPECT_GT(june_2022, 0.02) << "CAMHS posts are no longer vacant while they are refilled";
  EXPECT_LT(june_2022, 0.097 - 0.03) << "now within 3 points of the NHS's 9.7% [S105]: make this a validation";
}
