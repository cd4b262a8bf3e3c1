#include "sim/core/error.hpp"

#include <gtest/gtest.h>

using namespace tsim::core;

TEST(Error, LocationsFormat) {
  EXPECT_EQ((SourceLocation{"a.toml", 3, 7}).str(), "a.toml:3:7");
  EXPECT_EQ((SourceLocation{"a.toml", 0, 0}).str(), "a.toml");
  EXPECT_EQ((Diagnostic{{"a.toml", 3, 7}, "bad"}).str(), "a.toml:3:7: error: bad");
}

TEST(Error, ListThrowsEverything) {
  DiagnosticList list;
  list.throw_if_any();
  list.add({"f", 1, 1}, "one");
  list.add({"f", 2, 1}, "two");
  try {
    list.throw_if_any();
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.problems().size(), 2u);
    EXPECT_STREQ(e.what(), "f:1:1: error: one\nf:2:1: error: two");
  }
}

TEST(Error, ClosestMatch) {
  EXPECT_EQ(closest_match("horizn_years", {"horizon_years", "horizon_days", "name"}), "horizon_years");
  EXPECT_EQ(closest_match("zzzzzz", {"horizon_years", "name"}), "");
}

TEST(Error, DidYouMeanIsTheTailOfAMessage) {
  EXPECT_EQ(did_you_mean("horizn_years", {"horizon_years", "horizon_days", "name"}), " (did you mean 'horizon_years'?)");
  EXPECT_EQ(did_you_mean("zzzzzz", {"horizon_years", "name"}), "");
  EXPECT_EQ(did_you_mean("post", {}), "");
  // Ties go to the first candidate, as in closest_match.
  EXPECT_EQ(did_you_mean("post", {"pest", "past"}), " (did you mean 'pest'?)");
}

TEST(Error, ControlCharactersAreEscaped) {
  EXPECT_EQ((Diagnostic{{"f", 1, 2}, std::string("name 'a\0b'\n", 11)}).str(), "f:1:2: error: name 'a\\x00b'\\x0a");
}

// A file with thousands of mistakes stops at kMaxDiagnostics, with a note.
TEST(Error, ListStopsAtItsLimit) {
  DiagnosticList list;
  try {
    for (std::size_t i = 0; i < 2 * kMaxDiagnostics; ++i) list.add({"f", static_cast<std::uint32_t>(i + 1), 1}, "bad");
    FAIL();
  } catch (const InputError& e) {
    ASSERT_EQ(e.problems().size(), kMaxDiagnostics + 1);
    EXPECT_EQ(e.problems().back().str(), "error: too many problems: stopped after 1000; fix these first");
  }
}

// Suggestions that would take too long to find are left out rather than waited for.
TEST(Error, ClosestMatchGivesUpOnHugeInputs) {
  const std::string huge(200'000, 'a');
  EXPECT_EQ(closest_match(huge, {huge + "b"}), "");
  EXPECT_EQ(closest_match("a", std::vector<std::string>(10, huge)), "");
  EXPECT_EQ(closest_match("horizn", std::vector<std::string>(100, "horizon")), "horizon");
}

TEST(Error, HugeMessagesAreCutShort) {
  Diagnostic d;
  d.where = SourceLocation{"f", 3, 1};
  d.message = "unknown key '" + std::string(15'000'000, 'k') + "'";
  const std::string shown = d.str();
  EXPECT_LT(shown.size(), 1100u);
  EXPECT_EQ(shown.rfind("f:3:1: error: unknown key 'kkk", 0), 0u);
  EXPECT_NE(shown.find("... (15000014 characters in all)"), std::string::npos) << shown.substr(shown.size() - 60);
}
