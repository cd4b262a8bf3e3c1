#include "sim/batch/run_one.hpp"

#include <chrono>
#include <filesystem>

#include "output/atomic_file.hpp"
#include "output/hdf5_run_writer.hpp"
#include "sim/batch/run_header.hpp"
#include "sim/core/error.hpp"

namespace tsim::batch {

model::RunSummary run_one(const scenario::LoadedScenario& loaded, const RunRequest& request, model::RunSink& sink,
                          const std::function<void(const model::RunSummary&)>& before_finish) {
  // The header lives until finish(): a sink may read it at any time.
  const model::RunHeader header =
      make_run_header(loaded, request.variant, request.master_seed, request.replication, request.record_level);
  model::RunOptions options;
  options.master_seed = request.master_seed;
  options.replication = request.replication;
  options.record_level = request.record_level;
  options.progress = request.progress;
  options.stop = request.stop;
  options.check_invariants = request.check_invariants;
  options.reuse_slots = request.lean_memory;
  sink.begin(header);
  model::Run run(loaded.spec, options);
  model::RunSummary summary = run.execute(sink);
  if (before_finish) before_finish(summary);
  sink.finish();
  return summary;
}

FileRun run_to_file(const scenario::LoadedScenario& loaded, const RunRequest& request, const std::string& path,
                    Indicators indicators) {
  FileRun done;
  done.path = path;
  const auto started = std::chrono::steady_clock::now();
  try {
    const auto folder = std::filesystem::path(path).parent_path();
    if (!folder.empty()) output::ensure_writable_directory(folder.string());
    output::Hdf5RunWriter writer(path);
    if (indicators != Indicators::none) {
      model::IndicatorCollector collector(loaded.spec, &writer);
      done.summary = run_one(loaded, request, collector, [&](const model::RunSummary& summary) {
        done.indicators = collector.compute(summary);
        if (indicators == Indicators::in_file) writer.keep_indicators(done.indicators.names, done.indicators.values);
      });
    } else {
      done.summary = run_one(loaded, request, writer);
    }
    done.bytes = writer.bytes_written();
  } catch (const core::Cancelled&) {
    throw;  // the writer removed its partial file
  } catch (const std::exception& e) {
    done.error = e.what();
  }
  done.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return done;
}

}  // namespace tsim::batch
