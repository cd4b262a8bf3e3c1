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

// Nesting is capped so that the recursive parser cannot overflow the stack,
// whatever the input: parentheses, signs, powers and calls all count.
TEST(Expression, NestingIsCapped) {
  const auto nested = [](const std::string& open, const std::string& inner, const std::string& close, std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += open;
    s += inner;
    for (std::size_t i = 0; i < n; ++i) s += close;
    return s;
  };
  EXPECT_EQ(eval(nested("(", "1", ")", kMaxExpressionDepth - 1)), 1);
  EXPECT_EQ(eval(nested("-", "1", "", kMaxExpressionDepth - 1)), -1);
  for (const auto& deep : {nested("(", "1", ")", 100'000), nested("-", "1", "", 100'000), nested("abs(", "1", ")", 5'000),
                           nested("2^", "1", "", 5'000), nested("(", "1", ")", kMaxExpressionDepth + 1)}) {
    try {
      (void)eval(deep.substr(0, kMaxExpressionLength));
      FAIL() << deep.substr(0, 20);
    } catch (const ExpressionError& e) {
      EXPECT_NE(std::string(e.what()).find("nested too deeply: the limit is 200 levels"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)expression_names(deep.substr(0, kMaxExpressionLength)), ExpressionError);
  }
}

TEST(Expression, LengthIsCapped) {
  std::string sum = "1";
  while (sum.size() <= kMaxExpressionLength) sum += "+1";
  try {
    (void)eval(sum);
    FAIL();
  } catch (const ExpressionError& e) {
    EXPECT_EQ(e.offset(), 0u);
    EXPECT_NE(std::string(e.what()).find("characters long; the limit is 10000 characters"), std::string::npos) << e.what();
  }
  EXPECT_EQ(eval(sum.substr(0, 9999)), 5000);  // a long but allowed sum of numbers
  EXPECT_EQ(eval("1e+2 + 2.5e-1 + 0x10"), 116.25);
}
