#include "sim/core/expression.hpp"

#include <gtest/gtest.h>

#include <map>

using namespace tsim::core;

namespace {
double eval(const std::string& s) {
  std::map<std::string, double, std::less<>> vars{{"cohort", 10000}, {"p", 0.25}};
  return evaluate_expression(s, [&](std::string_view n) -> std::optional<double> {
    auto it = vars.find(n);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  });
}
}  // namespace

TEST(Expression, Arithmetic) {
  EXPECT_EQ(eval("floor(0.9 * cohort)"), 9000);
  EXPECT_EQ(eval("1 - p"), 0.75);
  EXPECT_EQ(eval("2 ^ 3 ^ 2"), 512);
  EXPECT_EQ(eval("-2 ^ 2"), -4);
  EXPECT_EQ(eval("(1 + 2) * 3 / 4"), 2.25);
  EXPECT_EQ(eval("max(1, cohort, 3) + min(4, 2)"), 10002);
  EXPECT_EQ(eval("round(2.5) + ceil(0.1) + abs(-1)"), 5);
  EXPECT_EQ(eval("1e3"), 1000);
}

TEST(Expression, ErrorsCarryOffsets) {
  try {
    (void)eval("1 + cohrt");
    FAIL();
  } catch (const ExpressionError& e) {
    EXPECT_EQ(e.offset(), 4u);
    EXPECT_NE(std::string(e.what()).find("unknown parameter 'cohrt'"), std::string::npos);
  }
  EXPECT_THROW((void)eval("1 +"), ExpressionError);
  EXPECT_THROW((void)eval("(1"), ExpressionError);
  EXPECT_THROW((void)eval("1 / 0"), ExpressionError);
  EXPECT_THROW((void)eval("sqrt(4)"), ExpressionError);
  EXPECT_THROW((void)eval("floor(1, 2)"), ExpressionError);
  EXPECT_THROW((void)eval("2 $ 3"), ExpressionError);
}

TEST(Expression, Names) { EXPECT_EQ(expression_names("a * floor(b) + a"), (std::vector<std::string>{"a", "b", "a"})); }
