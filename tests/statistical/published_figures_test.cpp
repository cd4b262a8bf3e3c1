// INPUTS COME BACK OUT: shipped scenarios reproduce the published figures
// they were built from (each is an input of its scenario, so these check the
// engine's handling of the input, not the model; the external validation,
// against facts that are not inputs, is in external_validation_test.cpp).
// Each check uses one replication with a fixed seed and a tolerance of 4
// standard errors of the quantity measured (binomial or Poisson).
#include <gtest/gtest.h>

#include <cmath>

#include "sim/batch/run_one.hpp"
#include "sim/model/memory_sink.hpp"
#include "tests/support/run_memory.hpp"
#include "tests/support/scenario_text.hpp"
#include "tests/support/stats.hpp"

using namespace tsim;

namespace {
scenario::LoadedScenario shipped(const std::string& name) {
  return scenario::load_scenario_file(test::source_path("scenarios/" + name + ".toml"));
}
long count_events(const model::MemorySink& s, int event) {
  const auto& codes = s.events()[model::cols::events::event];
  return std::count(codes.begin(), codes.end(), event);
}
}  // namespace

// About 94% of clinical psychology graduates are in CP posts within a year [S18].
TEST(PublishedFigures, ClinicalPsychologyGraduatesTakeCpPosts) {
  const auto l = shipped("clinical_psychology");
  const auto s = test::run_in_memory(l, 31);
  const double in_post = static_cast<double>(count_events(s, l.spec.event_index("qualify")));
  const double elsewhere = static_cast<double>(count_events(s, l.spec.event_index("qualify_elsewhere")));
  const double n = in_post + elsewhere;
  ASSERT_GT(n, 2000);
  EXPECT_NEAR(in_post / n, 0.942, 4 * test::binomial_se(0.942, n));
}

// About 13% of nursing students never qualify [S38].
TEST(PublishedFigures, NursingStudentsWhoNeverQualify) {
  const auto l = shipped("nursing_undergraduate_expansion");
  const auto s = test::run_in_memory(l, 32);
  const double never = static_cast<double>(count_events(s, l.spec.event_index("never_qualify")));
  const double n = never + static_cast<double>(count_events(s, l.spec.event_index("qualify")) +
                                               count_events(s, l.spec.event_index("qualify_not_joining")) +
                                               count_events(s, l.spec.event_index("delayed")));
  ASSERT_GT(n, 100000);
  EXPECT_NEAR(never / n, 0.13, 4 * test::binomial_se(0.13, n));
}

// PWP turnover is 25% a year [S13]; 2 points of it are moves between providers,
// which stay PWPs [S13][S40] A, so PWPs leave the role (into HIT training, other
// NHS roles or out of the NHS) at 23% a year.
TEST(PublishedFigures, PwpLeaverRate) {
  const auto l = shipped("adult_talking_therapies");
  const auto s = test::run_in_memory(l, 33);
  const int pwp = l.spec.state_index("pwp");
  double exits = 0;
  for (const auto& e : test::events(s))
    if (e.from_state == pwp && e.to_state != pwp) exits += 1;
  // Person-years in the PWP state, from the run's own accounting.
  batch::RunRequest request;
  request.master_seed = 33;
  model::MemorySink sink;
  const auto summary = batch::run_one(l, request, sink);
  const double years = summary.person_days[pwp] / 365.0;
  ASSERT_GT(exits, 5000);
  EXPECT_NEAR(exits / years, 0.25 - 0.02, 4 * std::sqrt(exits) / years);
}

// Registration assessment first-sitting pass rates by ethnicity, 2023: a
// 23-point Black-White gap [S30] around 79% overall [S29]: White 86%, Black 63%.
TEST(PublishedFigures, PharmacyPassRatesByEthnicity) {
  const auto l = shipped("medical_and_pharmacy");
  const auto s = test::run_in_memory(l, 34);
  const int pass = l.spec.event_index("pass_first"), fail = l.spec.event_index("fail_first");
  double n[5] = {0, 0, 0, 0, 0}, passed[5] = {0, 0, 0, 0, 0};
  for (const auto& e : test::events(s)) {
    if (e.event != pass && e.event != fail) continue;
    const int g = test::attribute(s.persons(), 0)[e.person_id];
    n[g] += 1;
    passed[g] += e.event == pass;
  }
  EXPECT_NEAR(passed[0] / n[0], 0.86, 4 * test::binomial_se(0.86, n[0]));  // White
  EXPECT_NEAR(passed[2] / n[2], 0.63, 4 * test::binomial_se(0.63, n[2]));  // Black
}

// INPUT: 18% of PWP trainees are 35 or over [S16]; the scenario's entry ages
// (lognormal, median 26) are set so, as its age_band attribute is. One
// replication, ~17,500 PWP entrants; tolerance 4 binomial standard errors.
TEST(PublishedFigures, PwpEntrantsAged35AndOver) {
  const auto l = shipped("adult_talking_therapies");
  const auto s = test::run_in_memory(l, 35);
  namespace p = model::cols::persons;
  const auto& persons = s.persons();
  const int trainee = l.spec.state_index("pwp_trainee");
  double n = 0, older = 0;
  for (std::size_t i = 0; i < persons.size(); ++i) {
    if (persons[p::is_initial_stock][i] != 0 || persons[p::entry_state][i] != trainee) continue;
    n += 1;
    if (persons[p::age_at_entry][i] >= 35) older += 1;
  }
  ASSERT_GT(n, 10000);
  EXPECT_NEAR(older / n, 0.18, 4 * std::sqrt(0.18 * 0.82 / n));
}

// INPUT: England's F1+F2 trainees each spring, 12,475 (2021), 12,574 (2022),
// 13,004 (2023), 14,104 (2024) [S27]; the scenario's F1 intakes are derived
// from them (f1_Y = total(Y+1) - f1_(Y-1) - 250 extra F2 posts). Foundation
// years have no attrition in the scenario, so the census on 1 April holds the
// totals to the rounding of the intakes: tolerance 0.5%.
TEST(PublishedFigures, FoundationDoctorsEachSpring) {
  const auto l = shipped("medical_and_pharmacy");
  const auto s = test::run_in_memory(l, 36, model::RecordLevel::census);
  const int f1 = l.spec.state_index("f1"), f2 = l.spec.state_index("f2");
  namespace c = model::cols::census;
  const double published[4] = {12475, 12574, 13004, 14104};  // census periods 0-3 end on 1 April 2021-2024
  for (int period = 0; period < 4; ++period) {
    double n = 0;
    for (std::size_t i = 0; i < s.census().size(); ++i)
      if (s.census()[c::period][i] == period && (s.census()[c::state][i] == f1 || s.census()[c::state][i] == f2))
        n += s.census()[c::headcount][i];
    EXPECT_NEAR(n, published[period], 0.005 * published[period]) << "spring " << 2021 + period;
  }
}
