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

// A bad parameter is reported once, where it is written, however often it is used.
TEST(Reader, ABadParameterIsReportedOnce) {
  const toml::table params = toml::parse(std::string_view("a = \"nope\"\nb = \"a + 1\"\nc = \"b * a\"\n"), std::string_view("test.toml"));
  const toml::table t = toml::parse(std::string_view("x = \"c\"\ny = \"a + zz\"\n"), std::string_view("test.toml"));
  Reader r("test.toml");
  r.set_parameters(&params);
  for (const char* name : {"a", "b", "c", "a"}) EXPECT_EQ(r.parameter(name), std::nullopt);
  TableView v(r, t, "sec");
  EXPECT_EQ(r.optional_number(v, "x", "sec.x"), std::nullopt);
  EXPECT_EQ(r.optional_number(v, "y", "sec.y"), std::nullopt);  // refers to a bad one: nothing more to say
  EXPECT_EQ(messages(r), (std::vector<std::string>{
                             "test.toml:1:6: error: parameter 'a': unknown parameter 'nope' in expression \"nope\""}));
}

// Chains are resolved without recursion: a long one cannot overflow the stack.
TEST(Reader, ParameterChainsAreCapped) {
  const auto chain = [](int n) {
    std::string text;
    for (int i = 0; i < n; ++i) text.append("p").append(std::to_string(i)).append(" = \"p").append(std::to_string(i + 1)).append(" + 1\"\n");
    return text.append("p").append(std::to_string(n)).append(" = 0\n");
  };
  {
    const toml::table params = toml::parse(chain(static_cast<int>(scenario::kMaxParameterChain) - 1), std::string_view("test.toml"));
    Reader r("test.toml");
    r.set_parameters(&params);
    EXPECT_EQ(r.parameter("p0"), static_cast<double>(scenario::kMaxParameterChain - 1));
    EXPECT_TRUE(r.diags.empty());
  }
  const toml::table params = toml::parse(chain(100'000), std::string_view("test.toml"));
  Reader r("test.toml");
  r.set_parameters(&params);
  EXPECT_EQ(r.parameter("p0"), std::nullopt);
  EXPECT_EQ(r.parameter("p5"), std::nullopt);
  EXPECT_EQ(messages(r), (std::vector<std::string>{"test.toml:1000:8: error: parameter 'p999' ends a chain of more than "
                                                   "1000 parameters, each referring to the next; the limit is 1000"}));
  EXPECT_EQ(r.parameter("p99500"), 500.0);  // a short enough part of the chain is fine on its own
}

TEST(Reader, CyclesAreReportedOnce) {
  const toml::table params = toml::parse(std::string_view("a = \"b\"\nb = \"c\"\nc = \"a * 2\"\n"), std::string_view("test.toml"));
  Reader r("test.toml");
  r.set_parameters(&params);
  for (const char* name : {"a", "b", "c"}) EXPECT_EQ(r.parameter(name), std::nullopt);
  EXPECT_EQ(messages(r), (std::vector<std::string>{"test.toml:1:5: error: parameter 'a' refers to itself (a cycle of parameters)"}));
}

// Found by input_fuzzer: an expression that does not parse but names itself
// (or the next of a long chain) before its mistake was evaluated anyway, and
// each lookup resolved the name again until the stack overflowed.
TEST(Reader, AnExpressionThatDoesNotParseIsNotEvaluated) {
  const toml::table params = toml::parse(std::string_view("value = \"m((1----value---ramete((0 + (4 - r * ()rs\"\n"),
                                         std::string_view("test.toml"));
  Reader r("test.toml");
  r.set_parameters(&params);
  EXPECT_EQ(r.parameter("value"), std::nullopt);
  EXPECT_EQ(messages(r), (std::vector<std::string>{"test.toml:1:48: error: parameter 'value': unexpected ')' in "
                                                   "expression \"m((1----value---ramete((0 + (4 - r * ()rs\""}));
  std::string chain;
  for (int i = 0; i < 100'000; ++i) chain.append("p").append(std::to_string(i)).append(" = \"p").append(std::to_string(i + 1)).append(" + (\"\n");
  const toml::table long_chain = toml::parse(chain, std::string_view("test.toml"));
  Reader c("test.toml");
  c.set_parameters(&long_chain);
  EXPECT_EQ(c.parameter("p0"), std::nullopt);
  ASSERT_EQ(c.diags.size(), 1u);
  EXPECT_NE(c.diags.items()[0].message.find("parameter 'p0': expected a number"), std::string::npos) << c.diags.items()[0].str();
}
