// Runs a loaded scenario into a memory sink, for tests.
#pragma once

#include "sim/model/memory_sink.hpp"
#include "sim/model/run.hpp"
#include "sim/scenario/scenario.hpp"

namespace tsim::test {

inline model::MemorySink run_in_memory(const scenario::LoadedScenario& loaded, std::uint32_t seed = 1,
                                       model::RecordLevel level = model::RecordLevel::full,
                                       std::uint32_t replication = 0) {
  model::MemorySink sink;
  model::RunHeader header;
  header.spec = &loaded.spec;
  sink.begin(header);
  model::RunOptions options;
  options.master_seed = seed;
  options.replication = replication;
  options.record_level = level;
  model::Run run(loaded.spec, options);
  run.execute(sink);
  sink.finish();
  return sink;
}

}  // namespace tsim::test
