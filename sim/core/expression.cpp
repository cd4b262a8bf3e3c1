#include "sim/core/expression.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

namespace tsim::core {

namespace {

// Recursive descent over: expr = term {(+|-) term}; term = unary {(*|/) unary};
// unary = [-|+] power; power = atom [^ unary]; atom = number | name | name(args) | (expr).
class Parser {
 public:
  Parser(std::string_view text, const NameLookup* lookup, std::vector<std::string>* names)
      : s_(text), lookup_(lookup), names_(names) {}

  double parse() {
    if (s_.size() > kMaxExpressionLength)
      throw ExpressionError(0, "the expression is " + std::to_string(s_.size()) + " characters long; the limit is " +
                                   std::to_string(kMaxExpressionLength) + " characters");
    const double v = expr();
    skip();
    if (i_ != s_.size()) throw ExpressionError(i_, "unexpected '" + std::string(1, s_[i_]) + "'");
    if (lookup_ && !std::isfinite(v)) throw ExpressionError(0, "the expression's value is not a finite number");
    return v;
  }

 private:
  void skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool eat(char c) {
    skip();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  double expr() {
    double v = term();
    while (true) {
      if (eat('+')) v += term();
      else if (eat('-')) v -= term();
      else return v;
    }
  }
  double term() {
    double v = unary();
    while (true) {
      if (eat('*')) v *= unary();
      else if (eat('/')) {
        const std::size_t at = i_;
        const double d = unary();
        if (lookup_ && d == 0.0) throw ExpressionError(at, "division by zero");
        v = lookup_ ? v / d : 0.0;
      } else return v;
    }
  }
  // Every level of nesting passes through here: parentheses and calls
  // (atom -> expr -> term -> unary), signs (unary -> unary) and powers
  // (power -> unary). Counting here bounds the recursion.
  double unary() {
    if (++depth_ > kMaxExpressionDepth)
      throw ExpressionError(i_, "the expression is nested too deeply: the limit is " +
                                    std::to_string(kMaxExpressionDepth) +
                                    " levels of parentheses, signs, powers and calls");
    double v;
    if (eat('-')) v = -unary();
    else if (eat('+')) v = unary();
    else v = power();
    --depth_;
    return v;
  }
  double power() {
    const double base = atom();
    if (eat('^')) return std::pow(base, unary());
    return base;
  }
  double atom() {
    skip();
    if (i_ >= s_.size()) throw ExpressionError(i_, "expected a number, a name or '(' but the expression ended");
    const char c = s_[i_];
    if (eat('(')) {
      const double v = expr();
      if (!eat(')')) throw ExpressionError(i_, "expected ')'");
      return v;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      // Only the characters a number can hold, so a long expression is not
      // copied once per number.
      std::size_t n = i_;
      while (n < s_.size()) {
        const auto ch = static_cast<unsigned char>(s_[n]);
        const bool sign = (ch == '+' || ch == '-') && n > i_ && (s_[n - 1] == 'e' || s_[n - 1] == 'E');
        if (!std::isalnum(ch) && ch != '.' && !sign) break;
        ++n;
      }
      const std::string rest(s_.substr(i_, n - i_));
      char* end = nullptr;
      const double v = std::strtod(rest.c_str(), &end);
      if (end == rest.c_str()) throw ExpressionError(i_, "malformed number");
      i_ += static_cast<std::size_t>(end - rest.c_str());
      return v;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      const std::size_t start = i_;
      while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) ++i_;
      const std::string name(s_.substr(start, i_ - start));
      if (eat('(')) return call(name, start);
      if (names_) names_->push_back(name);
      if (!lookup_) return 0.0;
      auto v = (*lookup_)(name);
      if (!v) throw ExpressionError(start, "unknown parameter '" + name + "'");
      return *v;
    }
    throw ExpressionError(i_, "unexpected '" + std::string(1, c) + "'");
  }
  double call(const std::string& fn, std::size_t at) {
    std::vector<double> args;
    if (!eat(')')) {
      do args.push_back(expr());
      while (eat(','));
      if (!eat(')')) throw ExpressionError(i_, "expected ')' or ','");
    }
    auto want = [&](std::size_t n) {
      if (args.size() != n)
        throw ExpressionError(at, fn + "() takes " + std::to_string(n) + " argument(s), got " +
                                      std::to_string(args.size()));
    };
    if (fn == "floor") { want(1); return std::floor(args[0]); }
    if (fn == "ceil") { want(1); return std::ceil(args[0]); }
    if (fn == "round") { want(1); return std::round(args[0]); }
    if (fn == "abs") { want(1); return std::fabs(args[0]); }
    if (fn == "min" || fn == "max") {
      if (args.empty()) throw ExpressionError(at, fn + "() needs at least one argument");
      double v = args[0];
      for (double a : args) v = fn == "min" ? std::fmin(v, a) : std::fmax(v, a);
      return v;
    }
    throw ExpressionError(at, "unknown function '" + fn + "' (known: floor, ceil, round, abs, min, max)");
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::size_t depth_ = 0;
  const NameLookup* lookup_;
  std::vector<std::string>* names_;
};

}  // namespace

double evaluate_expression(std::string_view text, const NameLookup& lookup) { return Parser(text, &lookup, nullptr).parse(); }

std::vector<std::string> expression_names(std::string_view text) {
  std::vector<std::string> names;
  Parser(text, nullptr, &names).parse();
  return names;
}

}  // namespace tsim::core
