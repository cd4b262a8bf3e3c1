// When each of a person's transitions would fire: pure functions of the
// person's situation, the transition and the counter-based random streams,
// recomputed whenever the situation changes (the "time function" of each
// transition, as in OpenM++). Nothing here changes state.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/model/compiled_scenario.hpp"
#include "sim/model/person.hpp"
#include "sim/model/spec.hpp"

namespace tsim::model {

/// Random purposes: the top byte names the process, the rest an index
/// (attribute, transition). See docs/ARCHITECTURE.md, randomness contract.
namespace purpose {
inline constexpr std::uint32_t kAttribute = 1u << 24;
inline constexpr std::uint32_t kAge = 2u << 24;
inline constexpr std::uint32_t kFte = 3u << 24;
inline constexpr std::uint32_t kTenure = 4u << 24;
inline constexpr std::uint32_t kDuration = 5u << 24;
inline constexpr std::uint32_t kHazard = 6u << 24;
inline constexpr std::uint32_t kBranch = 7u << 24;
inline constexpr std::uint32_t kArrival = 8u << 24;  // Poisson inter-arrival times of a route
inline constexpr std::uint32_t kPatience = 9u << 24; // how long someone waits in a pool's queue (index: the pool)
}  // namespace purpose

class Clocks {
 public:
  /// All three must outlive the Clocks.
  Clocks(const ScenarioSpec& spec, const CompiledScenario& compiled, const core::RandomStreams& streams)
      : spec_(spec), compiled_(compiled), streams_(streams) {}

  /// Absolute day (days since start) at which `t` would take `p` out of their
  /// state, given their situation now; +infinity if never. `levels` are the
  /// person's attribute levels. `used` is the hazard a while-supervised
  /// transition with modifiers already spent in earlier supervised spells of
  /// this stay (see hazard_spent); 0 otherwise. `r` is read only by an
  /// age-clock hazard.
  [[nodiscard]] double fire_time(const Person& p, const PersonBasics& r, const std::uint8_t* levels,
                                 const CompiledTransition& t, double used = 0.0) const;

  /// The integrated hazard of a while-supervised transition over the
  /// person's current supervised spell, from its start to `now` (days).
  [[nodiscard]] double hazard_spent(const Person& p, const std::uint8_t* levels, const CompiledTransition& t,
                                    double now) const;
  /// Whether a transition's clock needs hazard_spent kept across spells:
  /// only while-supervised hazards under dated modifiers do (without
  /// modifiers the spent part follows from the supervised time alone).
  [[nodiscard]] bool tracks_spent_hazard(const CompiledTransition& t) const;

  /// Day a queueing person gives up waiting for `pool` (days since start);
  /// +infinity if the pool has no renege or infinite patience.
  [[nodiscard]] double renege_time(const Person& p, int pool) const;

  /// Product of the transition's hazard ratios for the person's levels.
  [[nodiscard]] double ratio(const std::uint8_t* levels, const TransitionSpec& t) const;

 private:
  [[nodiscard]] double timed(const Person& p, const CompiledTransition& t) const;
  /// A calendar span from the day the person entered the state (before day 0
  /// for stock with a tenure).
  [[nodiscard]] double calendar(const Person& p, const TransitionSpec& t) const;
  [[nodiscard]] double hazard(const Person& p, const PersonBasics& r, const std::uint8_t* levels,
                              const CompiledTransition& t) const;
  [[nodiscard]] double supervised_hazard(const Person& p, const std::uint8_t* levels, const CompiledTransition& t,
                                         double used) const;
  [[nodiscard]] double target(const Person& p, const CompiledTransition& t) const;

  /// The multiplier of a transition's hazard is piecewise constant in time
  /// under dated modifiers: these are its pieces from `start` on.
  struct Pieces {
    std::vector<double> edges;            // days since start, ascending, ending with +infinity
    std::vector<const Modifier*> active;  // modifiers that apply to this person
  };
  [[nodiscard]] Pieces pieces(const Person& p, const std::uint8_t* levels, int transition, double start) const;
  [[nodiscard]] static double multiplier_at(const Person& p, const Pieces& pieces, double t, double base);
  /// Inverse cumulative hazard under the pieces: days after `start` until the
  /// hazard integrated from clock value `c0` reaches `target`.
  [[nodiscard]] double with_modifiers(const Person& p, const std::uint8_t* levels, int transition, const Hazard& h,
                                      double start, double c0, double target, double base_multiplier) const;

  const ScenarioSpec& spec_;
  const CompiledScenario& compiled_;
  const core::RandomStreams& streams_;
};

}  // namespace tsim::model
