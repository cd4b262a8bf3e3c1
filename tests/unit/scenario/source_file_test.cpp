// TOML syntax errors: toml++'s message at its position, and beside it what
// was expected in plain words for the common mistakes.
#include "sim/scenario/source_file.hpp"

#include <gtest/gtest.h>

using namespace tsim;

namespace {

// The message of parsing `text`, which must fail: "f.toml:line:column: error: ...".
std::string syntax_error(const std::string& text) {
  try {
    (void)scenario::parse_toml(text, "f.toml");
  } catch (const core::InputError& e) {
    return e.problems().front().str();
  }
  ADD_FAILURE() << "parsed: " << text;
  return {};
}

struct Case {
  const char* text;
  const char* where;  // "line:column"
  const char* hint;   // part of the plain-words explanation
};

}  // namespace

TEST(SyntaxHints, ExplainCommonMistakesBesideTheParserMessage) {
  const Case cases[] = {
      {"[scenario]\nname = tiny\n", "2:", "text must be in double quotes: name = \"tiny\""},
      {"[scenario]\nname = my-scenario\n", "2:", "text must be in double quotes: name = \"my-scenario\""},
      {"[scenario\nname = \"x\"\n", "1:10", "a table header is closed with ']' on the same line: [scenario]"},
      {"[scenario]\nname = \"x\"\nname = \"y\"\n", "3:", "the key 'name' is given twice in the same table"},
      {"[states.a]\nkind = \"post\"\n[states.a]\nkind = \"exit\"\n", "3:1", "this table appears twice"},
      {"[scenario]\nname = \"x\n", "2:", "a string is not closed"},
      {"[scenario]\nname = 'x\n", "2:", "a string is not closed"},
      {"[scenario]\ncensus = { every = \"year\",\n", "2:", "an inline table { key = value, ... } is written on one line"},
      {"[scenario]\nx = [1, 2\n", "2:", "an array [ ... ] is not closed"},
      {"[scenario]\nname: \"x\"\n", "2:5", "keys and values are joined by '=', not ':'"},
      {"[scenario]\nhorizon_years = 10 years\n", "2:", "units in the key"},
      {"[scenario]\nflag = True\n", "2:", "true and false are written in lower case: flag = true"},
  };
  for (const auto& c : cases) {
    const std::string m = syntax_error(c.text);
    EXPECT_EQ(m.rfind(std::string("f.toml:") + c.where, 0), 0u) << c.text << "\n" << m;
    EXPECT_NE(m.find(c.hint), std::string::npos) << c.text << "\n" << m;
    EXPECT_NE(m.find("Error while parsing"), std::string::npos) << "toml++'s own message is kept: " << m;
  }
}

TEST(SyntaxHints, NoHintForOtherErrors) {
  EXPECT_EQ(scenario::syntax_hint("Error while parsing date: expected month between 1 and 12", "start = 2020-13-01"), "");
  const std::string m = syntax_error("[scenario]\nstart_date = 2020-13-01\n");
  EXPECT_TRUE(m.ends_with("saw 13")) << "nothing added: " << m;
}
