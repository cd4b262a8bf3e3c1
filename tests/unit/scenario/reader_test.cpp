#include "sim/scenario/reader.hpp"

#include <gtest/gtest.h>

using namespace tsim;
using scenario::Reader;
using scenario::TableView;

namespace {

std::vector<std::string> messages(const Reader& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diags.items()) out.push_back(d.str());
  return out;
}

const char* kTable = R"toml(cohort = 10
places = "cohort * 2"
rate = "nope"
count = 2.5
seed = 7
)toml";

}  // namespace

TEST(Reader, RequiredNumberReadsOrReportsTheMissingKey) {
  const toml::table t = toml::parse(std::string_view(kTable), std::string_view("test.toml"));
  Reader r("test.toml");
  TableView v(r, t, "sec");
  EXPECT_EQ(r.required_number(v, "cohort", "people", "sec.cohort"), 10.0);
  EXPECT_EQ(r.required_number(v, "places", "people", "sec.places"), std::nullopt);  // no [parameters] given
  EXPECT_EQ(r.required_number(v, "missing", "what it is for", "sec.missing"), std::nullopt);
  v.finish();
  EXPECT_EQ(messages(r), (std::vector<std::string>{
                             "test.toml:2:11: error: sec.places: unknown parameter 'cohort' in expression \"cohort * 2\"",
                             "test.toml:1:1: error: [sec] needs 'missing' (what it is for)",
                             "test.toml:4:1: error: unknown key 'count' in [sec]",  // tables iterate in key order
                             "test.toml:3:1: error: unknown key 'rate' in [sec]",
                             "test.toml:5:1: error: unknown key 'seed' in [sec]",
                         }));
}

TEST(Reader, OptionalNumberFallsBackOnlyWhenTheKeyIsAbsent) {
  const toml::table t = toml::parse(std::string_view(kTable), std::string_view("test.toml"));
  toml::table params;
  params.insert("cohort", 10);
  Reader r("test.toml");
  r.set_parameters(&params);
  TableView v(r, t, "sec");
  EXPECT_EQ(r.optional_number(v, "places", "sec.places", 365.0), 20.0);
  EXPECT_EQ(r.optional_number(v, "every_days", "sec.every_days", 365.0), 365.0);
  EXPECT_EQ(r.optional_number(v, "every_days", "sec.every_days"), std::nullopt);
  EXPECT_EQ(r.optional_number(v, "rate", "sec.rate", 1.0), std::nullopt);  // present but bad: no fallback
  EXPECT_EQ(r.optional_integer(v, "seed", "sec.seed", 0, 10, 1), 7);
  EXPECT_EQ(r.optional_integer(v, "first", "sec.first", 0, 10, 1), 1);
  EXPECT_EQ(r.optional_integer(v, "count", "sec.count", 1, 100, 1), std::nullopt);
  EXPECT_EQ(r.required_integer(v, "cohort", "people", "sec.cohort", 0, 5), std::nullopt);
  v.finish();  // every key was asked for
  EXPECT_EQ(messages(r), (std::vector<std::string>{
                             "test.toml:3:9: error: sec.rate: unknown parameter 'nope' in expression \"nope\"",
                             "test.toml:4:9: error: sec.count must be a whole number, got 2.5",
                             "test.toml:1:10: error: sec.cohort must be between 0 and 5, got 10",
                         }));
}

TEST(Reader, UnknownKeysGetADidYouMean) {
  const toml::table t = toml::parse(std::string_view("horizn_years = 3\n"), std::string_view("test.toml"));
  Reader r("test.toml");
  TableView v(r, t, "scenario");
  (void)v.get("horizon_days");
  (void)v.get("horizon_years");
  v.finish();
  EXPECT_EQ(messages(r), (std::vector<std::string>{
                             "test.toml:1:1: error: unknown key 'horizn_years' in [scenario] (did you mean 'horizon_years'?)"}));
}
