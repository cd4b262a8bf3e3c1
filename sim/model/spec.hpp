// The scenario as plain, validated data: what sim/scenario produces and the
// runtime consumes. Indices refer into the vectors of ScenarioSpec. Units are
// days for times and durations, per day for hazard rates, years for ages only
// where the name says so.
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/calendar.hpp"
#include "sim/core/distributions.hpp"
#include "sim/model/hazard.hpp"

namespace tsim::model {

inline constexpr int kNone = -1;

enum class StateKind : std::uint8_t { waiting, training, post, exit };
[[nodiscard]] const char* to_string(StateKind k);

/// What people in a state count as in the indicators (docs/INDICATORS.md):
/// staff in post, trainees, vacancies (a funded post being recruited to:
/// counted against the establishment, not as staff), waiting (not staff:
/// applicants, career breaks, awaiting a post), or an exit of a named kind.
enum class StateRole : std::uint8_t {
  staff,
  trainee,
  vacancy,
  waiting,
  left_nhs,          // left the NHS
  moved_within_nhs,  // left this workforce for another part of the NHS (another service, other training)
  retired,
  did_not_complete,  // left training without qualifying
};
[[nodiscard]] const char* to_string(StateRole r);
/// The role of a name ("staff", ...), or nullopt.
[[nodiscard]] std::optional<StateRole> role_from_string(std::string_view name);
/// The kind a role belongs to (staff: post; trainee: training; vacancy and waiting: waiting; the rest: exit).
[[nodiscard]] StateKind kind_of(StateRole r);
/// Staff and trainees are the workforce being measured; everyone else is outside it.
[[nodiscard]] constexpr bool in_workforce(StateRole r) { return r == StateRole::staff || r == StateRole::trainee; }

enum class RecordLevel : std::uint8_t { full, census, summary };
[[nodiscard]] const char* to_string(RecordLevel r);

/// A stable 32-bit hash of a name (FNV-1a). Random keys and purposes are
/// derived from names, not positions, so a policy that adds a route, a stock
/// entry or an attribute never shifts anyone else's random numbers.
[[nodiscard]] std::uint32_t name_hash(const std::string& name);

struct AttributeSpec {
  std::string name;
  std::uint32_t purpose_index = 0;  // low 24 bits of name_hash(name): its random purpose
  std::vector<std::string> levels;
  std::vector<double> population;  // benchmark shares per level; empty if not given
};

/// Per-attribute-level multipliers, e.g. hazard ratios.
struct LevelFactors {
  int attribute = kNone;
  std::vector<double> factor;  // one per level, 1.0 where unspecified
};

struct Provision {
  int pool = kNone;
  std::int32_t slots = 0;    // slots each person in the state adds to the pool
  core::Span after;          // only once they have been this long in the state
};

struct StateSpec {
  std::string name;
  StateKind kind = StateKind::post;
  StateRole role = StateRole::staff;
  std::string profession;
  int band = kNone;          // Agenda for Change band, kNone if not banded
  bool qualified = false;    // first entry sets the person's qualified_day
  double cost_per_day = 0.0; // cost of one person-day here (currency units), for comparisons
  int needs_pool = kNone;    // a pool whose slot the person must hold for supervised clocks to run
  /// A pool of funded posts that everyone in this state fills: entering takes
  /// a slot (kept when coming from a state that queued for the same pool),
  /// leaving frees it for the next person waiting.
  int occupies_pool = kNone;
  Provision provides;        // provides.pool == kNone if the state provides nothing
};

/// One possible outcome of a transition.
struct Outcome {
  int to = kNone;
  double p = 1.0;
  int event = kNone;         // index into ScenarioSpec::events
  /// Working hours on arrival through this outcome (return at reduced hours,
  /// part time after a break): the FTE becomes `fte_set` when it is given
  /// (not NaN), else the current FTE x `fte_scale`; capped at kMaxFte.
  double fte_set = std::numeric_limits<double>::quiet_NaN();
  double fte_scale = 1.0;
  bool changes_fte() const { return fte_set == fte_set || fte_scale != 1.0; }
};

/// The largest FTE a person may have (as for `fte` on routes and stock).
inline constexpr double kMaxFte = 1.5;

enum class TransitionWhen : std::uint8_t { immediate, timed, hazard };

struct TransitionSpec {
  int from = kNone;
  TransitionWhen when = TransitionWhen::immediate;
  core::Distribution duration = core::Fixed{0.0};  // timed: days
  /// Timed, written as a whole number of months or years: the duration is
  /// this calendar span (ending on the same day of the month), and
  /// `duration` holds its mean length in days only for descriptions.
  std::optional<core::Span> span;
  Hazard hazard;                                   // hazard: per day
  std::vector<LevelFactors> ratios;                // hazard ratios by attribute level
  /// The clock runs only while the person holds their state's pool slot
  /// (always true for timed transitions out of a state that needs a pool).
  bool supervised_only = false;
  std::vector<Outcome> outcomes;                   // one: plain move; several: branch
  /// Branch probabilities by one attribute's level: [level][outcome]. Empty: use Outcome::p.
  int branch_attribute = kNone;
  std::vector<std::vector<double>> branch_p_by_level;
  /// Dated outcome probabilities (`branch_from_date`): from each day (since
  /// the start, increasing) the row replaces the outcomes' p. Empty: fixed.
  std::vector<std::pair<double, std::vector<double>>> branch_p_from_day;
  /// With branch_attribute: each dated row as a whole table, [row][level][outcome]
  /// (the row's `p` for levels its `by` does not list). Empty otherwise.
  std::vector<std::vector<std::vector<double>>> branch_p_by_level_from_day;
};

/// A dated hazard multiplier (what most policies are): multiplies the hazards
/// of the transitions it selects, for people in a subgroup, inside a calendar
/// window and a window of time in state. Outside its windows it is 1.
struct Modifier {
  std::string name;
  std::vector<int> transitions;      // hazard transitions it applies to
  double factor = 1.0;
  double from_day = -std::numeric_limits<double>::infinity();  // days since start
  double until_day = std::numeric_limits<double>::infinity();
  double in_state_from = 0.0;        // days in state
  double in_state_until = std::numeric_limits<double>::infinity();
  /// Subgroup: per attribute, which levels it applies to; empty = everyone.
  std::vector<std::pair<int, std::vector<bool>>> only;
};

enum class QueueDiscipline : std::uint8_t { fifo, priority };

struct PoolSpec {
  std::string name;
  std::int64_t fixed_capacity = 0;  // slots that exist whoever is in post
  /// fifo: first come, first served. priority: by rank (lower first), then
  /// first come (non-preemptive: a granted slot is never taken back).
  QueueDiscipline discipline = QueueDiscipline::fifo;
  /// Priority by this attribute's level, or by route (kRouteAttribute).
  int priority_by = kNone;
  /// Rank per level (for routes: per route code + 1, 0 = initial stock).
  std::vector<std::uint32_t> priority_rank;
  /// How long (days) each person waits in the queue before giving up; drawn
  /// each time they join it. Fixed{+infinity}: never.
  core::Distribution patience = core::Fixed{std::numeric_limits<double>::infinity()};
  int renege_to = kNone;
  int renege_event = kNone;
  int granted_event = kNone;
  int lost_event = kNone;
  /// Fixed slots added (or removed, if negative) on a day: (day, slots).
  std::vector<std::pair<double, std::int64_t>> capacity_changes;
  /// A labour pool: each fixed slot is a candidate, used up (not returned)
  /// when its holder leaves the state that needs the pool. Its inflow is
  /// written as capacity_changes by the loader.
  bool consumed = false;
  /// Labour pool: hazard per day at which each unused candidate leaves the
  /// pool; applied at each capacity change to the candidates then unused.
  double idle_leaving_per_day = 0.0;
};

/// Who arrives: attribute mixes, age and FTE of a route or a stock entry.
struct EntrantMix {
  std::vector<std::vector<double>> attribute_mix;  // [attribute][level] weights
  core::Distribution age_years = core::Fixed{30.0};
  core::Distribution fte = core::Fixed{1.0};
};

struct Intake {
  double day = 0.0;           // days since start
  std::int64_t places = 0;
  /// Pull recruitment: if >= 0, places = max(0, establishment - people now in
  /// `counts`), decided on the day (vacancy filling).
  std::int64_t establishment = -1;
  /// Pull recruitment: the states whose headcount fills this intake's
  /// establishment (each intake table of a route names its own).
  std::vector<int> counts = {};
};

struct RouteSpec {
  std::string name;
  std::uint32_t key_source = 0;   // 1..0x7FFF from name_hash(name): the person-key source
  int enters = kNone;
  std::vector<Intake> intakes;  // sorted by day
  /// Poisson arrivals, one person at a time, per day (0: none), from day 0.
  double poisson_per_day = 0.0;
  /// The rate is multiplied by `factor` from `day` on (place changes): (day, factor), by day.
  std::vector<std::pair<double, double>> poisson_changes;
  EntrantMix mix;
  int event = kNone;            // arrival event
};

struct StockSpec {
  std::string name;
  std::uint32_t key_source = 0;   // 0x8000 | 15 bits of name_hash(name)
  int state = kNone;
  std::int64_t count = 0;
  core::Distribution tenure_days = core::Fixed{0.0};
  EntrantMix mix;
};

struct CensusSpec {
  core::PeriodKind every = core::PeriodKind::quarter;
  double every_days = 0.0;
  std::vector<int> by;  // attribute indices; kRouteAttribute for the route
};
inline constexpr int kRouteAttribute = -2;

struct ScenarioSpec {
  std::string name;
  core::Date start_date;
  double horizon_days = 0.0;
  CensusSpec census;
  std::vector<AttributeSpec> attributes;
  std::vector<StateSpec> states;
  std::vector<TransitionSpec> transitions;
  std::vector<PoolSpec> pools;
  std::vector<RouteSpec> routes;
  std::vector<StockSpec> stock;
  std::vector<Modifier> modifiers;
  std::vector<std::string> events;  // event kind names; codes are indices
  int stock_event = kNone;
  /// Policies applied on top of the base scenario, in order ("" = baseline).
  std::vector<std::string> policies;
  /// Costs: the currency they are in, and the discount rate per year for
  /// their present value (HM Treasury Green Book: 3.5%).
  std::string currency = "GBP";
  double discount_rate = 0.035;
  double policy_cost_per_year = 0.0;  // what the policies cost, from policy_start_day
  double policy_cost_once = 0.0;
  double policy_start_day = 0.0;

  [[nodiscard]] int state_index(const std::string& name) const;
  [[nodiscard]] int event_index(const std::string& name) const;
  /// Whether some state provides slots to a pool (then people carry supervision links).
  [[nodiscard]] bool has_providers() const;
  /// Adds an event name if new; returns its code.
  int intern_event(const std::string& name);
};

}  // namespace tsim::model
