// Before a run: about how many bytes its files will take and how much memory
// it will need, from the scenario alone (nothing is simulated), so a user is
// warned before a full record of a big run writes gigabytes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sim/model/spec.hpp"

namespace tsim::batch {

/// What one run (one replication) is expected to produce.
struct RunEstimate {
  double people = 0;            // people the run creates (stock, places, expected Poisson arrivals, and
                                // for pull intakes the establishment, then replacements of leavers)
  double present = 0;           // the most people present at once (not yet in an exit state), checked at
                                // twenty dates from the start to the horizon
  double held = 0;              // people whose event-loop record is in memory at the peak: everyone
                                // created, or with lean memory (leavers' places reused) `present`
  double events_per_person = 0; // rows of /events per person: arrival, state changes, pool grants
  double events = 0;            // rows of /events (written at record level full only)
  double file_bytes = 0;        // one run file at the record level asked for (compressed), bytes
  double memory_bytes = 0;      // peak memory of one run in progress, bytes (without the process's base)
};

/// Compressed bytes per row, measured on the shipped scenarios (full record,
/// deflate 4 + shuffle; docs/OUTPUT.md). /persons: 11.6-19.2 bytes per row,
/// /events: 0.9-3.4 (sorted by day, so the columns compress well); see
/// tests/unit/batch/output_estimate_test.cpp for the check on a shipped scenario.
inline constexpr double kPersonRowBytes = 16.0;
inline constexpr double kEventRowBytes = 2.5;
/// A census, flow or pool row, compressed (measured 1.3-25 bytes; these tables are small).
inline constexpr double kSummaryRowBytes = 8.0;
/// Every run file's own part whatever its size: HDF5 metadata for ~60
/// datasets, the dictionaries and the resolved scenario text. Measured as
/// file size minus the tables' stored bytes on the shipped scenarios: 129-145 kB.
inline constexpr double kFileOverheadBytes = 140e3;

/// Memory a running replication holds, bytes (sim/model/person.hpp, People;
/// checked against measured peaks in bench/README.md, "The printed estimate"):
/// per person held, the event loop's record (64) and one byte per attribute,
/// plus 24 where pools have providers (supervision links) and 4 for the
/// slot's id with lean memory;
inline constexpr double kLoopRecordBytes = 64.0;
inline constexpr double kProviderLinkBytes = 24.0;
inline constexpr double kSlotIdBytes = 4.0;
/// the person's /persons row where the record level writes /persons (80),
/// or only what the run reads of it (24) at record level summary; with lean
/// memory a leaver's row is kept compressed (measured 15-20 bytes);
inline constexpr double kPersonsRowMemoryBytes = 80.0;
inline constexpr double kBasicsMemoryBytes = 24.0;
inline constexpr double kLeaverRowMemoryBytes = 20.0;
/// per person present, their pending events (32 bytes each, about one each,
/// and the day buckets' spare capacity: 19.5 MB for ~600,000 at the bench workload);
inline constexpr double kPendingEventBytes = 34.0;
/// and the output's buffers whatever the size: a chunk being filled per
/// column written (512 KiB for float64) and chunks queued for compression.
inline constexpr double kWriterBuffersFull = 14e6;
inline constexpr double kWriterBuffersCensus = 10e6;
inline constexpr double kWriterBuffersSummary = 1e6;
/// Resident memory of the process before any run (libraries, HDF5), bytes:
/// a run of 100 people peaks at 28 MB (summary).
inline constexpr double kProcessBaseBytes = 27e6;

/// Expected rows of /events per person who enters at `entry_state` and has
/// `days` days before the horizon: 1 (the arrival) plus the expected number
/// of moves of a continuous-time Markov approximation of the career graph.
/// Each transition is taken at a constant rate (a timed one at 1 / mean
/// duration, a hazard at its mean rate over its first five years of time in
/// state, or ages 25 to 60 on the age clock), branches split by their
/// probabilities; queues for pools, modifiers and hazard ratios are ignored,
/// and a move into a state that needs a pool adds one grant row. Steps are
/// 7 days, or coarser for a scenario so big that 7-day steps would take
/// more than ~10^8 updates (then 2.5 rows per person if even one step would).
/// Never throws (but std::bad_alloc).
[[nodiscard]] double events_per_person(const model::ScenarioSpec& spec, int entry_state, double days);

/// The estimate for one run of `spec` at `level`; `lean_memory` as
/// RunOptions::reuse_slots (--lean-memory). Never throws (but std::bad_alloc).
[[nodiscard]] RunEstimate estimate_run(const model::ScenarioSpec& spec, model::RecordLevel level,
                                       bool lean_memory = false);

}  // namespace tsim::batch
