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

/// Resolves a name to its value, or nullopt if there is no such name.
using NameLookup = std::function<std::optional<double>(std::string_view)>;

/// Evaluates `text`. Throws ExpressionError on syntax errors, unknown names
/// and non-finite results (e.g. division by zero).
[[nodiscard]] double evaluate_expression(std::string_view text, const NameLookup& lookup);

/// The names an expression refers to, in order of appearance (may repeat).
/// Throws ExpressionError on syntax errors.
[[nodiscard]] std::vector<std::string> expression_names(std::string_view text);

}  // namespace tsim::core
