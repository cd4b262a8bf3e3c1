// Internal to the scenario loader: one reader per part of a scenario file
// (scenarios/README.md documents every key). build_spec (loader.cpp) calls
// them in a fixed order: later sections refer to names that earlier ones
// declare, and the reading order is the order of the diagnostics. Each reader
// returns what it read; what it needs from earlier sections comes in through
// Context. Readers that name events add them to `events`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <toml++/toml.h>
#include <vector>

#include "sim/core/calendar.hpp"
#include "sim/model/spec.hpp"
#include "sim/scenario/reader.hpp"
#include "sim/scenario/section_context.hpp"

namespace tsim::scenario {

/// Most entries of each section, checked (loader.cpp) before any is read.
inline constexpr std::size_t kMaxAttributes = 1000;
inline constexpr std::size_t kMaxPools = 10'000;
inline constexpr std::size_t kMaxStates = 30'000;
inline constexpr std::size_t kMaxTransitions = 100'000;
inline constexpr std::size_t kMaxRoutes = 0x7FFF;
inline constexpr std::size_t kMaxStockEntries = 0x7FFF;

// ---- [scenario], [parameters] (sections_header.cpp) ------------------------

struct HeaderSection {
  std::string name;
  core::Date start_date;
  double horizon_days = 0.0;
  std::string currency = "GBP";  // what costs are in
  double discount_rate = 0.035;  // per year, for discounted costs (Green Book)
  /// True when both the start date and the horizon were read without problems.
  bool timeline_ok = false;
  /// [scenario] census, read by read_census once routes and attributes are known.
  const toml::node* census = nullptr;
};
HeaderSection read_header(Reader& r, TableView& top);

/// Hands [parameters] to the reader and evaluates every parameter once, so
/// that each problem is reported in the order of the table.
void read_parameters(Reader& r, TableView& top);

/// [scenario] census (nullptr: the default, quarterly, no breakdown). Checks
/// the size of the census and flow tables (states x states x cells of
/// census.by); without census.by a problem is placed at `states`.
model::CensusSpec read_census(const Context& c, const toml::node* census, const toml::node& states);

/// Largest census and flow tables: (states + 1) x states x census cells.
inline constexpr double kMaxCensusCells = 64e6;

// ---- [attributes], [pools], [states] (sections_states.cpp) -----------------

std::vector<model::AttributeSpec> read_attributes(Reader& r, TableView& top);

/// Pools are named before states (which need, occupy or provide them) and
/// read after states (a pool's renege goes to a state).
struct PoolNames {
  const toml::table* table = nullptr;  // [pools], nullptr if absent
  std::vector<model::PoolSpec> pools;  // names only
};
PoolNames read_pool_names(Reader& r, TableView& top);
std::vector<model::StateSpec> read_states(const Context& c, TableView& top);
/// A priority pool ordered by route: the routes are read later.
struct RoutePriority {
  std::size_t pool = 0;
  std::vector<std::string> routes;  // first served first; "initial_stock" for the stock
  const toml::node* at = nullptr;   // the `order` array, for messages
};
struct PoolsSection {
  std::vector<model::PoolSpec> pools;
  std::vector<RoutePriority> route_orders;
};
/// The pools of `names`, read in full.
PoolsSection read_pools(const Context& c, const PoolNames& names, EventNames& events);
/// Fills in the ranks of pools ordered by route, once the routes are known.
void resolve_route_priorities(const Context& c, const std::vector<RoutePriority>& orders,
                              std::vector<model::PoolSpec>& pools);

// ---- [[transitions]] (sections_transitions.cpp, sections_hazard.cpp) -------

struct TransitionsSection {
  std::vector<model::TransitionSpec> transitions;
  /// One modifier per transition with a `from_date`: factor 0 until that day.
  std::vector<model::Modifier> openings;
};
TransitionsSection read_transitions(const Context& c, TableView& top, EventNames& events);

/// A `hazard = {...}` table; rates per day.
std::optional<model::Hazard> read_hazard(Reader& r, const toml::node& n, const std::string& path);

/// The constant hazard, per year, under which `share` (in [0, 1)) of people
/// leave within a year: -ln(1 - share). Its inverse: a hazard h per year
/// gives an annual share 1 - exp(-h).
[[nodiscard]] double annual_share_to_rate(double share);

/// Thresholds of the plausibility warnings (legal, but probably a mistake).
inline constexpr double kMaxPlausibleStaffLeavingPerYear = 2.0;  // hazard per year: 86% leave within a year
inline constexpr double kMaxPlausibleTrainingYears = 10.0;       // mean duration of a timed transition out of training
inline constexpr double kMaxPlausibleIntakePerYear = 1e6;        // people recruited by one route in one year

/// Warnings (r.warn, never errors) for a spec that loaded without problems:
/// a hazard from a staff state into an exit above
/// kMaxPlausibleStaffLeavingPerYear (its mean over the first five years),
/// a training duration whose mean is above kMaxPlausibleTrainingYears, a
/// route recruiting more than kMaxPlausibleIntakePerYear in a year. Each is
/// placed at the key in `root` that sets it.
void check_plausibility(Reader& r, const toml::table& root, const model::ScenarioSpec& spec);

// ---- [routes], [stock] (sections_routes.cpp, sections_intakes.cpp) ---------

struct RoutesSection {
  std::vector<model::RouteSpec> routes;
};

/// Most intakes of one route, and of all routes together (a pull intake
/// counts once plus once per state in its `counts`).
inline constexpr std::size_t kMaxIntakesPerRoute = 0xFFFF;
inline constexpr std::size_t kMaxIntakes = 1'000'000;
RoutesSection read_routes(const Context& c, TableView& top, EventNames& events);

/// One table of a route's `intake`.
struct IntakeTable {
  std::vector<model::Intake> intakes;  // in the table's order; pull intakes have places 0
  double poisson_per_day = 0.0;        // Poisson arrivals, per day (0: none)
  /// Pull recruitment: the states named by `counts` (resolved once the route's
  /// mix has been read, which keeps the order of the diagnostics).
  std::vector<std::string> counts;
  const toml::node* counts_node = nullptr;
};
IntakeTable read_intake_table(const Context& c, const toml::node& n, const std::string& path);

/// Oldest age at entry, in years (see check_age in sections_routes.cpp).
inline constexpr double kMaxAgeYears = 120.0;

/// `mix`, `age_years` and `fte` of a route or stock entry. FTE must lie in
/// (0, 1.5] and ages in [0, kMaxAgeYears] wherever the distribution reaches.
model::EntrantMix read_mix(const Context& c, TableView& t, const std::string& path);

std::vector<model::StockSpec> read_stock(const Context& c, TableView& top);

/// Checks the number of people (the routes' places and expected Poisson
/// arrivals, plus the stock) against kMaxPeople, and that someone enters at
/// all. Sums in floating point, so huge counts or rates cannot overflow.
void check_entrants(const Context& c, const toml::table& root);

/// The people a scenario creates in one run: stock, places (pull intakes
/// count 0) and expected Poisson arrivals.
[[nodiscard]] double entrants(const model::ScenarioSpec& spec);

// ---- [[modifiers]], [[place_changes]] (sections_policy_effects.cpp) --------

/// Most [[modifiers]] entries (checked with the other section sizes), and
/// most (modifier, selected transition) pairs.
inline constexpr std::size_t kMaxModifiers = 1000;
inline constexpr std::size_t kMaxModifierTransitions = 1'000'000;
std::vector<model::Modifier> read_modifiers(const Context& c, TableView& top);

/// One [[place_changes]] entry: places (and establishments) of a route's
/// intakes on or after `from_day` become round(places * factor + add), at least 0.
struct PlaceChange {
  int route = model::kNone;
  double from_day = 0.0;  // days since start
  std::optional<double> factor;
  std::optional<double> add;
};
std::vector<PlaceChange> read_place_changes(const Context& c, TableView& top);
void apply_place_changes(std::vector<model::RouteSpec>& routes, const std::vector<PlaceChange>& changes);

// ---- the career graph (graph_checks.cpp) -----------------------------------

/// Checks a spec read without problems: immediate transitions stand alone,
/// every state is reachable and can reach an exit, no cycle takes no time.
/// Problems are placed at the state's table in `root`.
void check_graph(const Context& c, const toml::table& root);

}  // namespace tsim::scenario
