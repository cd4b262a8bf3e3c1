// A tiny arithmetic language for scenario values that refer to named
// parameters: numbers, names, + - * / ^, parentheses, and the functions
// floor, ceil, round, min, max, abs. Example: "floor(0.9 * cohort)".
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tsim::core {

/// A problem in an expression, at a 0-based character offset.
class ExpressionError : public std::runtime_error {
 public:
  ExpressionError(std::size_t offset, const std::string& message)
      : std::runtime_error(message), offset_(offset) {}
  [[nodiscard]] std::size_t offset() const noexcept { return offset_; }

 private:
  std::size_t offset_;
};

/// Longest expression text, in characters: scenario values are short
/// formulas; a longer one is a mistake (and would be slow to evaluate).
inline constexpr std::size_t kMaxExpressionLength = 10'000;
/// Deepest nesting of parentheses, signs, powers and function calls. The
/// parser recurses once per level, so this bounds its stack use.
inline constexpr std::size_t kMaxExpressionDepth = 200;

/// Resolves a name to its value, or nullopt if there is no such name.
using NameLookup = std::function<std::optional<double>(std::string_view)>;

/// Evaluates `text`. Throws ExpressionError on syntax errors, unknown names,
/// non-finite results (e.g. division by zero), text longer than
/// kMaxExpressionLength and nesting deeper than kMaxExpressionDepth.
[[nodiscard]] double evaluate_expression(std::string_view text, const NameLookup& lookup);

/// The names an expression refers to, in order of appearance (may repeat).
/// Throws ExpressionError on syntax errors and the limits above.
[[nodiscard]] std::vector<std::string> expression_names(std::string_view text);

}  // namespace tsim::core
