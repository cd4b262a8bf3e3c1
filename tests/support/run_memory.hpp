// Runs a loaded scenario into a memory sink, for tests.
#pragma once

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
  (void)batch::run_one(loaded, request, sink);
  return sink;
}

}  // namespace tsim::test
