// Internal to the scenario loader: what a section reader reads with, and the
// lookups several sections share (states, pools, attributes and levels by
// name; days-or-years pairs; dates; shares per level).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <unordered_map>
#include <vector>

#include "sim/model/spec.hpp"
#include "sim/scenario/reader.hpp"

namespace tsim::scenario {

/// Shares and probabilities must sum to 1 within this.
inline constexpr double kProbabilityTolerance = 1e-6;

/// Names to indices, so that a lookup per reference does not scan a list
/// (a scenario may have thousands of states and refer to them 100,000 times).
using NameIndex = std::unordered_map<std::string, int>;

/// What a section reader reads with: the reader (diagnostics, parameters)
/// and the spec as far as the sections before it have built it. A reader
/// returns what it read and never writes the spec.
struct Context {
  Reader& r;
  const model::ScenarioSpec& spec;
  /// spec.states by name once they are read (empty before); see find_state.
  const NameIndex* states = nullptr;
};

/// The index of the state named `name`, or kNone.
int find_state(const Context& c, const std::string& name);

/// The event names of a scenario (ScenarioSpec::events), with an index.
/// Readers add names as they meet them, so reading order fixes the event
/// codes of the output.
class EventNames {
 public:
  explicit EventNames(std::vector<std::string>& names);
  /// The code of event `name`, added if new.
  int intern(const std::string& name);

 private:
  std::vector<std::string>& names_;
  NameIndex index_;
};

/// events.intern(name).
int intern_event(EventNames& events, const std::string& name);

/// parent.key as a table: nullptr if absent (an error if `required`) or,
/// reported, not a table.
const toml::table* table_at(Reader& r, TableView& parent, std::string_view key, bool required, std::string_view what);

/// "parent.key", or "key" at the top level.
[[nodiscard]] std::string child_path(const std::string& parent, std::string_view key);

/// The index of the state, pool or attribute a name refers to; kNone if the
/// value is not a string or names nothing declared (reported, with a "did
/// you mean").
int state_ref(const Context& c, const toml::node& n, std::string_view what);
int pool_ref(const Context& c, const toml::node& n, std::string_view what);
int attribute_ref(const Context& c, const std::string& name, const toml::source_region& at, std::string_view what);

/// The index of `level` among the levels of `attribute`; kNone (reported) if it is not one.
int level_ref(Reader& r, const model::AttributeSpec& attribute, const std::string& level, const toml::source_region& at,
              std::string_view what);

/// A days/years pair of keys of which at most one may be given (exactly one
/// if `required`): the value in days, not negative. Nullopt if absent or bad.
std::optional<double> duration_days(Reader& r, TableView& t, std::string_view days_key, std::string_view years_key,
                                    std::string_view what, bool required);

/// A fixed length written as `<stem>_days`, `<stem>_months` or `<stem>_years`
/// (at most one; exactly one if `required`), not negative. A whole number of
/// months (or of twelfths of a year) is a calendar span; other values are
/// days (a year is core::kDaysPerYear days, a month a twelfth of it).
std::optional<core::Span> duration_span(Reader& r, TableView& t, std::string_view stem, std::string_view what,
                                        bool required);
/// `value` in `unit` ("days", "months" or "years") as a span, as duration_span.
core::Span span_of(double value, std::string_view unit);

/// Shares or weights per level of `attribute`: an array in level order or a
/// table by level name (levels left out get 0). Not negative; they sum to 1
/// if `must_sum_to_one`, else to more than 0.
std::optional<std::vector<double>> level_weights(Reader& r, const model::AttributeSpec& attribute, const toml::node& n,
                                                 std::string_view what, bool must_sum_to_one);

/// A date (TOML date or "YYYY-MM-DD") as days since the scenario's start date.
std::optional<double> day_of_date(const Context& c, const toml::node& n, std::string_view what);

}  // namespace tsim::scenario
