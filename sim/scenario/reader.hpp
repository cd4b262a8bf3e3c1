// Helpers for reading toml++ nodes with locations: typed getters that record
// problems instead of throwing, parameter expressions, and per-table tracking
// of known keys so unknown ones get a "did you mean".
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <vector>

#include "sim/core/distributions.hpp"
#include "sim/core/error.hpp"
#include "sim/core/expression.hpp"

namespace tsim::scenario {

class TableView;

class Reader {
 public:
  explicit Reader(std::string origin) : origin_(std::move(origin)) {}

  [[nodiscard]] core::SourceLocation where(const toml::source_region& r) const;
  [[nodiscard]] core::SourceLocation where(const toml::node& n) const { return where(n.source()); }
  /// True when `n` was written somewhere else than the file being read: by a
  /// policy file or a --set override.
  [[nodiscard]] bool written_elsewhere(const toml::node& n) const { return where(n).file != origin_; }
  void error(const toml::node& n, std::string message) { diags.add(where(n), std::move(message)); }
  void error(const toml::source_region& r, std::string message) { diags.add(where(r), std::move(message)); }

  /// Values from `origin` (a "--set" text) are bare words the override
  /// parser put in quotes: the user's text has no opening quote to step over.
  void mark_bare_words(std::string origin) { bare_origins_.insert(std::move(origin)); }

  /// Named parameters (the [parameters] table), resolved on demand.
  void set_parameters(const toml::table* params) { params_ = params; }
  /// The value of a parameter; nullopt if there is none of that name or its
  /// value is bad (reported once, where it is written: a later reference to
  /// it adds no message). Parameters are resolved without recursion, so a
  /// long chain cannot overflow the stack; a chain longer than
  /// kMaxParameterChain is reported at the parameter that goes too deep.
  [[nodiscard]] std::optional<double> parameter(std::string_view name);

  /// A number, or a string holding an expression over parameters.
  std::optional<double> number(const toml::node& n, std::string_view what);
  /// A whole number (after expression evaluation) in [lo, hi].
  std::optional<std::int64_t> integer(const toml::node& n, std::string_view what, std::int64_t lo, std::int64_t hi);
  std::optional<std::string> string(const toml::node& n, std::string_view what);
  /// A string that is stored as a label (an event, level or pool name): see
  /// names.hpp; a bad one is reported and nullopt returned.
  std::optional<std::string> label(const toml::node& n, std::string_view what);
  std::optional<bool> boolean(const toml::node& n, std::string_view what);
  /// An array of numbers (each may be an expression).
  std::optional<std::vector<double>> numbers(const toml::node& n, std::string_view what);
  std::optional<std::vector<std::string>> strings(const toml::node& n, std::string_view what);
  /// A distribution table ({ weibull = {...} }, a plain number = fixed, ...);
  /// `scale` converts the key's unit (e.g. 365 for *_years into days).
  std::optional<core::Distribution> distribution(const toml::node& n, std::string_view what, double scale,
                                                 bool allow_negative = false);

  /// The number under `key` of `t`, asked for once (so `t` knows the key); a
  /// missing key is reported as "[path] needs 'key' (why)".
  /// Nullopt when the key is missing or its value is not a number.
  std::optional<double> required_number(TableView& t, std::string_view key, std::string_view why, std::string_view what);
  /// number() of `key` in `t`, or `fallback` when the key is absent; nullopt
  /// when the value is not a number (already reported).
  std::optional<double> optional_number(TableView& t, std::string_view key, std::string_view what,
                                        std::optional<double> fallback = std::nullopt);
  /// integer() versions of the two above.
  std::optional<std::int64_t> required_integer(TableView& t, std::string_view key, std::string_view why,
                                               std::string_view what, std::int64_t lo, std::int64_t hi);
  std::optional<std::int64_t> optional_integer(TableView& t, std::string_view key, std::string_view what,
                                               std::int64_t lo, std::int64_t hi,
                                               std::optional<std::int64_t> fallback = std::nullopt);

  /// Something legal but probably a mistake: reported, never stops a load.
  void warn(const toml::node& n, std::string message) { warnings.push_back({where(n), std::move(message)}); }
  void warn(const toml::source_region& at, std::string message) { warnings.push_back({where(at), std::move(message)}); }

  core::DiagnosticList diags;
  std::vector<core::Diagnostic> warnings;

 private:
  /// Evaluates parameter `name` (its references resolved already) into
  /// param_values_ or failed_params_.
  void evaluate_parameter(const std::string& name, const toml::node& n);
  /// Reports a problem of the expression string `n`, at its character.
  void report_expression(const toml::node& n, std::string_view what, const core::ExpressionError& e);

  std::string origin_;
  const toml::table* params_ = nullptr;
  std::map<std::string, double, std::less<>> param_values_;
  std::set<std::string, std::less<>> failed_params_;
  std::set<std::string, std::less<>> bare_origins_;
  /// Set when an expression refers to a parameter that failed (already reported).
  bool failed_reference_ = false;
};

/// Longest chain of parameters each referring to the next.
inline constexpr std::size_t kMaxParameterChain = 1000;

/// A table being read: remembers which keys the reader asked for, so that
/// finish() can report the others as unknown (with a suggestion).
class TableView {
 public:
  TableView(Reader& reader, const toml::table& table, std::string path)
      : reader_(&reader), table_(&table), path_(std::move(path)) {}

  /// The node for `key`, or nullptr if absent. Marks the key as known.
  const toml::node* get(std::string_view key);
  /// Like get, but a missing key is an error.
  const toml::node* require(std::string_view key, std::string_view what);
  /// Marks keys as known without reading them.
  void allow(std::initializer_list<std::string_view> keys);
  /// Reports every key that was never asked for.
  void finish();
  /// True if exactly one of `keys` is present; reports an error otherwise.
  bool exactly_one_of(std::initializer_list<std::string_view> keys, std::string_view what);

  [[nodiscard]] const toml::table& table() const noexcept { return *table_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  Reader* reader_;
  const toml::table* table_;
  std::string path_;
  std::vector<std::string> known_;
};

/// "[states.x]" style description of a table path, for messages.
[[nodiscard]] std::string describe_path(const std::string& path);

/// True if `s` may become part of an output path (scenario and policy names):
/// 1-100 letters, digits, '_', '-' or '.', and neither "." nor containing "..".
[[nodiscard]] bool is_safe_name(const std::string& s);
/// Reports a problem from names.hpp at `n`, if there is one; true if none.
bool check_name(Reader& r, const toml::node& n, const std::optional<std::string>& problem);
bool check_name(Reader& r, const toml::source_region& at, const std::optional<std::string>& problem);

}  // namespace tsim::scenario
