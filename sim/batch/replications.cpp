#include "sim/batch/replications.hpp"

#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <mutex>

#include "sim/batch/replication_pool.hpp"
#include "sim/batch/statistics.hpp"
#include "sim/core/error.hpp"

namespace tsim::batch {

std::string replication_path(const std::string& variant_dir, std::uint32_t replication) {
  return (std::filesystem::path(variant_dir) / fmt::format("run_{}.h5", replication)).string();
}

std::vector<double> mean_final_headcount(const std::vector<FileRun>& runs, std::size_t states) {
  std::vector<double> out(states, 0.0);
  if (runs.empty()) return out;
  std::vector<double> x(runs.size());
  for (std::size_t s = 0; s < states; ++s) {
    for (std::size_t r = 0; r < runs.size(); ++r) x[r] = static_cast<double>(runs[r].summary.final_headcount[s]);
    out[s] = mean(x, Summation::divide_then_total);
  }
  return out;
}

std::vector<FileRun> run_replications(const scenario::LoadedScenario& loaded, const std::string& variant,
                                      const std::string& variant_dir, const ReplicationSettings& settings,
                                      const ReplicationProgress& progress, std::string* thread_error) {
  const std::uint32_t reps = settings.replications;
  std::vector<FileRun> done(reps);
  const ReplicationPool pool(settings.threads);
  std::mutex mutex;  // guards `fractions` and `status`, and serialises progress calls
  std::vector<double> fractions(reps, 0.0);
  VariantProgress status;
  status.replications = reps;
  // Replication r reached `f` of its simulated time (1 when it ended, however).
  auto advance = [&](std::uint32_t r, double f, bool ended) {
    const std::lock_guard<std::mutex> lock(mutex);
    status.fraction += (f - fractions[r]) / reps;
    fractions[r] = f;
    if (ended) ++status.finished;
    progress(status);
  };
  auto work = [&](std::size_t i) {
    const auto r = static_cast<std::uint32_t>(i);
    RunRequest request;
    request.variant = variant;
    request.master_seed = settings.master_seed;
    request.replication = r;
    request.record_level = settings.record_level;
    request.stop = settings.stop;
    request.lean_memory = settings.lean_memory;
    if (progress) request.progress = [&, r](double f) { advance(r, std::fmin(f, 1.0), false); };
    try {
      done[i] = run_to_file(loaded, request, replication_path(variant_dir, r),
                            settings.indicators ? Indicators::computed : Indicators::none);
    } catch (const core::Cancelled&) {
      done[i].path = replication_path(variant_dir, r);
      done[i].cancelled = true;  // the writer removed its partial file
      return;                    // not done: progress shows how far the command got
    }
    if (progress) advance(r, 1.0, true);
  };
  const auto report = pool.run(reps, work, settings.stop);
  if (thread_error) *thread_error = report.thread_error;
  return done;
}

}  // namespace tsim::batch
