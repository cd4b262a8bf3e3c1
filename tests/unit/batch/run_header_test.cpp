#include "sim/batch/run_header.hpp"

#include <gtest/gtest.h>

#include "sim/batch/build_info.hpp"
#include "tests/support/scenario_text.hpp"
#include "tests/support/tiny_scenario.hpp"

using namespace tsim;

// The one place a RunHeader is filled: every field comes from the loaded
// scenario, the arguments, or the build.
TEST(RunHeader, FilledFromScenarioArgumentsAndBuild) {
  const test::TempDir dir("run_header");
  const auto policy = dir.write("senior.toml", test::kSeniorPolicy);
  const auto loaded = scenario::load_scenario_text(test::kTinyScenario, "tiny.toml", {}, {policy});
  const auto h = batch::make_run_header(loaded, "senior-posts", 42, 3, model::RecordLevel::census);
  EXPECT_EQ(h.spec, &loaded.spec);
  EXPECT_EQ(h.scenario_sha256, loaded.sha256);
  EXPECT_EQ(h.resolved_text, loaded.resolved_text);
  EXPECT_EQ(h.policies, "senior-posts");
  EXPECT_EQ(h.variant, "senior-posts");
  EXPECT_EQ(h.master_seed, 42u);
  EXPECT_EQ(h.replication, 3u);
  EXPECT_EQ(h.record_level, model::RecordLevel::census);
  EXPECT_EQ(h.rng_scheme, batch::kRngScheme);
  ASSERT_TRUE(h.schema);
  const auto& census = h.schema->census.columns();
  ASSERT_EQ(census.size(), h.schema->census.fixed_count() + 2);
  EXPECT_EQ(census[census.size() - 2].name, "sex");
  EXPECT_EQ(census.back().name, "route");
  EXPECT_EQ(census.back().role, model::ColumnRole::route);
  EXPECT_EQ(h.traineesim_version, TSIM_PROJECT_VERSION);
  EXPECT_EQ(h.git_sha, batch::build_info().git_describe);
}

TEST(RunHeader, VariantNames) {
  const auto base = test::load(test::kTinyScenario);
  EXPECT_EQ(batch::variant_name(base.spec), "baseline");
  EXPECT_EQ(batch::make_run_header(base, "baseline", 1, 0, model::RecordLevel::full).policies, "");
  auto spec = base.spec;
  spec.policies = {"a", "b"};
  EXPECT_EQ(batch::variant_name(spec), "a+b");
}

// Taken at build time: the project version, and git describe (or "unknown" outside a checkout).
TEST(BuildInfo, VersionAndDescription) {
  EXPECT_EQ(batch::build_info().version, TSIM_PROJECT_VERSION);
  EXPECT_FALSE(batch::build_info().git_describe.empty());
  EXPECT_EQ(batch::build_info().git_describe.find('\n'), std::string_view::npos);
}
