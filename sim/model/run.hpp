// One replication of one scenario: people, pools and census on top of the
// engine. Each transition is a pair of a time function (when would it fire,
// recomputed from counter-based draws whenever the person's situation
// changes: clocks.hpp) and an implement function (what happens), as in
// OpenM++. Pools are in pools.hpp, census counters in census.hpp, output
// batching in run_output.hpp.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/simulation.hpp"
#include "sim/model/sink.hpp"
#include "sim/model/spec.hpp"

namespace tsim::model {

/// The random key of a person: where they came from, not a global counter.
/// source: the route's or stock entry's key_source (from a hash of its name);
/// intake: the route's intake number; place: position in that intake or stock entry.
[[nodiscard]] constexpr std::uint64_t person_key(std::uint32_t source, std::uint32_t intake, std::uint32_t place) {
  return (std::uint64_t{source & 0xFFFFu} << 48) | (std::uint64_t{intake & 0xFFFFu} << 32) | place;
}

#ifdef NDEBUG
inline constexpr bool kCheckInvariantsByDefault = false;
#else
inline constexpr bool kCheckInvariantsByDefault = true;
#endif

struct RunOptions {
  std::uint32_t master_seed = 1;
  std::uint32_t replication = 0;
  RecordLevel record_level = RecordLevel::full;
  /// Called now and then with the fraction of simulated time done (0..1).
  std::function<void(double)> progress;
  /// If set, the run stops with core::Cancelled soon after it turns true.
  const std::atomic<bool>* stop = nullptr;
  /// Check the pools' and census's invariants at every census period end
  /// (O(people) each time); on in Debug builds, where CI's sanitizer run uses it.
  bool check_invariants = kCheckInvariantsByDefault;
  /// Give a leaver's place in the event loop's tables to a newcomer and keep
  /// their /persons row compressed until it is written (person.hpp, People;
  /// leaver_rows.hpp; `--lean-memory`): less peak memory where many leave
  /// (-26% on the reference workload, full, cohort 100,000) for ~28% more
  /// time (bench/README.md). The output is the same either way.
  bool reuse_slots = false;
};

/// The workforce just before a year boundary (1 April for a financial year, 1
/// January for a calendar one), whatever the census periods are.
struct YearEnd {
  core::Date last_day;               // the year's last day, e.g. 2022-03-31
  bool financial = true;             // financial (April-March) or calendar year
  double day = 0;                    // the boundary, days since start (counts are just before it)
  std::vector<std::int64_t> headcount;  // per state
  std::vector<double> fte;              // per state
  std::vector<std::int64_t> pool_capacity, pool_in_use;  // per pool
};

struct RunSummary {
  std::uint64_t events_handled = 0;  // engine events, stale ones included
  std::uint64_t records = 0;         // state changes and arrivals (rows of /events at level full)
  std::uint64_t persons = 0;
  std::uint64_t person_slots = 0;    // the event loop's tables: people present at once, at most (less with reuse_slots)
  std::vector<std::int64_t> final_headcount;  // per state, at the horizon
  std::vector<double> final_fte;              // per state, at the horizon
  std::vector<double> person_days;            // per state, days spent there by everyone (within the run)
  /// The same split by year of the run: [state][t], t = floor(day / core::kDaysPerYear)
  /// (year 0 starts on the start date), for costs discounted year by year.
  std::vector<std::vector<double>> person_days_by_year;
  std::vector<YearEnd> year_ends;             // every financial and calendar year end inside the run, by day
};

class Run final : public core::EventHandler {
 public:
  /// `spec` must outlive the run. Throws SimulationError on model failures.
  Run(const ScenarioSpec& spec, RunOptions options);
  ~Run() override;
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  /// Runs to the horizon, appending rows to `sink` (header.begin and finish
  /// are the caller's: see batch::run_one).
  RunSummary execute(RunSink& sink);
  /// Throws std::logic_error naming the first broken invariant. Checks nothing
  /// after execute(), which frees the tables it reads (People::finish).
  void check_invariants() const;

  void handle(core::Simulation& sim, const core::Event& event) override;
  [[nodiscard]] std::string describe(const core::Event& event) const override;
  void prefetch(const core::Event& event) const noexcept override;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace tsim::model
