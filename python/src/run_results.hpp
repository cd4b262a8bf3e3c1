// Replications of one scenario run into memory (a model::MemorySink each),
// on a pool of threads with the GIL released, and what Python reads back:
// each table as columns, the dictionaries, and the run files replayed from
// memory into the HDF5 writer.
#pragma once

#include <cstdint>
#include <memory>
#include <pybind11/pybind11.h>
#include <string>
#include <vector>

#include "python/src/scenario_handle.hpp"
#include "sim/model/memory_sink.hpp"
#include "sim/model/run.hpp"

namespace tsim::python {

/// How to run replications, as the command line's options say it.
struct RunSettings {
  std::uint32_t replications = 1;  // 1..100000
  std::uint32_t seed = 1;          // master seed, 0..2147483647
  std::size_t threads = 1;         // at once, 1..replications (0 resolved to all cores by checked_settings)
  model::RecordLevel level = model::RecordLevel::full;
};

/// The settings, checked with the command line's limits; threads 0 means
/// batch::default_thread_count(), and threads never exceed replications.
/// Throws std::invalid_argument (ValueError in Python) naming the bad value.
[[nodiscard]] RunSettings checked_settings(long long replications, long long seed, long long threads,
                                           const std::string& record);

class RunResults {
 public:
  /// Runs replications 0..R-1 of `scenario` (see run_interruptible: Ctrl-C
  /// raises KeyboardInterrupt after every thread stopped). Call with the GIL
  /// held. Throws core::SimulationError (and what a run throws) when a
  /// replication fails, pybind11::error_already_set when interrupted.
  [[nodiscard]] static std::shared_ptr<RunResults> run(const ScenarioHandle& scenario, const RunSettings& settings);

  /// Table `name` ("census", "flows", "events", "persons", "pools") of
  /// every replication, as table_columns() gives it; no rows for a table the
  /// record level does not write. Throws std::invalid_argument for another
  /// name. Needs the GIL.
  [[nodiscard]] pybind11::list table(const std::string& name) const;
  /// Labels of every dictionary the tables' code columns use. Needs the GIL.
  [[nodiscard]] pybind11::dict dictionaries() const;
  /// Per replication: persons, records and engine events handled. Needs the GIL.
  [[nodiscard]] pybind11::dict summary() const;

  /// Writes <dir>/<variant>/run_<r>.h5 for every replication, replaying the
  /// tables into output::Hdf5RunWriter with batch::make_run_header's header;
  /// returns the paths. Needs no GIL. Throws output::OutputError.
  [[nodiscard]] std::vector<std::string> write(const std::string& dir) const;

  [[nodiscard]] const scenario::LoadedScenario& loaded() const noexcept { return *loaded_; }
  [[nodiscard]] const std::string& variant() const noexcept { return variant_; }
  [[nodiscard]] const RunSettings& settings() const noexcept { return settings_; }

 private:
  RunResults(std::shared_ptr<const scenario::LoadedScenario> loaded, std::string variant, RunSettings settings);

  std::shared_ptr<const scenario::LoadedScenario> loaded_;  // the sinks' headers point into it
  std::string variant_;
  RunSettings settings_;
  std::vector<std::unique_ptr<model::MemorySink>> sinks_;  // [replication]
  std::vector<model::RunSummary> summaries_;               // [replication]
};

}  // namespace tsim::python
