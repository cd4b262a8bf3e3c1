// Runs a loaded scenario into a memory sink, and reads its tables, for tests.
#pragma once

#include <vector>

#include "sim/batch/run_one.hpp"
#include "sim/model/memory_sink.hpp"
#include "sim/scenario/scenario.hpp"

namespace tsim::test {

inline model::MemorySink run_in_memory(const scenario::LoadedScenario& loaded, std::uint32_t seed = 1,
                                       model::RecordLevel level = model::RecordLevel::full,
                                       std::uint32_t replication = 0) {
  model::MemorySink sink;
  batch::RunRequest request;
  request.master_seed = seed;
  request.replication = replication;
  request.record_level = level;
  request.check_invariants = true;  // every test run checks pools and census at each period end
  (void)batch::run_one(loaded, request, sink);
  return sink;
}

/// One row of /events.
struct EventRow {
  double day;
  int person_id, event, from_state, to_state;
};

inline std::vector<EventRow> events(const model::MemorySink& s) {
  namespace c = model::cols::events;
  const auto& t = s.events();
  std::vector<EventRow> out(t.size());
  for (std::size_t i = 0; i < t.size(); ++i)
    out[i] = {t[c::day][i], t[c::person_id][i], t[c::event][i], t[c::from_state][i], t[c::to_state][i]};
  return out;
}

/// The code column of declared attribute number `a` in the persons table.
inline const std::vector<std::int32_t>& attribute(const model::TableBatch& persons, std::size_t a) {
  return persons.codes(persons.schema().fixed_count() + a);
}

}  // namespace tsim::test
