// One replication, start to end: header, begin -> Run::execute -> finish,
// into any sink (memory for tests, HDF5 for files). Callers never drive a
// sink by hand, so no run file can miss its header or its finish.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "sim/model/indicators.hpp"
#include "sim/model/run.hpp"
#include "sim/model/sink.hpp"
#include "sim/scenario/scenario.hpp"

namespace tsim::batch {

/// Which replication to run, and how.
struct RunRequest {
  std::string variant = "baseline";  // folder name and root attribute (see variant_name)
  std::uint32_t master_seed = 1;
  std::uint32_t replication = 0;
  model::RecordLevel record_level = model::RecordLevel::full;
  std::function<void(double)> progress;    // fraction of simulated time done (0..1); may be empty
  const std::atomic<bool>* stop = nullptr; // when it turns true the run ends with core::Cancelled
  bool check_invariants = model::kCheckInvariantsByDefault;  // see model::RunOptions
  bool lean_memory = false;  // model::RunOptions::reuse_slots: same output, less memory, a little slower
};

/// Runs `request` of `loaded` into `sink`: sink.begin(make_run_header(...)),
/// the run, `before_finish(summary)` if given, sink.finish(). Throws what the
/// run and the sink throw (core::SimulationError, output::OutputError,
/// core::Cancelled when stopped).
model::RunSummary run_one(const scenario::LoadedScenario& loaded, const RunRequest& request, model::RunSink& sink,
                          const std::function<void(const model::RunSummary&)>& before_finish = {});

/// A replication written to a file.
struct FileRun {
  model::RunSummary summary;
  model::IndicatorSet indicators;  // empty unless asked for
  std::string path;                // the run file
  std::uint64_t bytes = 0;         // size of the finished file
  double seconds = 0;              // wall-clock time of the whole replication
  std::string error;               // "" on success; otherwise no file was left under `path`
  bool cancelled = false;          // stopped by the stop flag before it finished (no file left)
};

/// What run_to_file computes besides the file.
enum class Indicators {
  none,
  computed,  // FileRun::indicators (pipeline and diversity ones need record level full or census)
  in_file,   // computed, and written to the file's /indicators too (what a sweep's index reads)
};

/// Runs `request` into an HDF5 run file at `path` (its folder is created),
/// through a model::IndicatorCollector unless `indicators` is none.
/// Failures are caught into FileRun::error; only core::Cancelled propagates
/// (the partial file is removed either way).
[[nodiscard]] FileRun run_to_file(const scenario::LoadedScenario& loaded, const RunRequest& request,
                                  const std::string& path, Indicators indicators);

}  // namespace tsim::batch
