#include "sim/batch/sweep_runner.hpp"

#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <mutex>

#include "output/run_file_reader.hpp"
#include "sim/batch/replication_pool.hpp"
#include "sim/batch/run_one.hpp"
#include "sim/core/error.hpp"

namespace tsim::batch {

namespace {

using Clock = std::chrono::steady_clock;

// What happened to one item.
struct Outcome {
  bool skipped = false, ok = false;
  std::uint64_t bytes = 0;
  std::string error;
  double seconds = 0;
  output::RunFileCheck check;  // the file's census and indicators when skipped or ok
  std::optional<FileStamp> stamp;  // the file's, once `check` was read
};

// Runs one item (or finds it done; a file there that is not is named to
// `notice` and rewritten). Throws core::Cancelled when stopped.
Outcome run_item(const WorkItem& it, const SweepPlan& plan, const SweepScenarios& scenarios, std::uint32_t seed,
                 model::RecordLevel level, bool lean_memory, const std::string& out_dir, const std::atomic<bool>* stop,
                 const std::function<void(const std::string&)>& notice) {
  Outcome o;
  const std::size_t slot = plan.slot(it.variant, it.sample);
  o.error = scenarios.error(slot);
  const auto t0 = Clock::now();
  if (o.error.empty()) {
    const scenario::LoadedScenario* loaded = scenarios.get(slot);
    const auto found = item_on_disk(out_dir, it, loaded, seed, level);
    if (found.status == output::RunFileStatus::done) {
      o.skipped = true;
      o.check = found;
    } else {
      if (found.status != output::RunFileStatus::missing) notice(fmt::format("{}: {}, rewriting", it.file, describe(found)));
      RunRequest request;
      request.variant = plan.variants()[it.variant].name;
      request.master_seed = seed;
      request.replication = it.replication;
      request.record_level = level;
      request.stop = stop;
      request.lean_memory = lean_memory;
      const FileRun run = run_to_file(*loaded, request, item_path(out_dir, it), Indicators::in_file);
      o.ok = run.error.empty();
      o.error = run.error;
      o.bytes = run.bytes;
      // What the index needs, read back now (root attributes, /census and
      // /indicators: about a millisecond) while other runs go on.
      if (o.ok) o.check = item_on_disk(out_dir, it, loaded, seed, level, output::CheckDepth::attributes);
      if (o.ok && o.check.status != output::RunFileStatus::done) {
        o.ok = false;
        o.error = fmt::format("the file just written does not read back: {}", describe(o.check));
      }
    }
  }
  if (o.skipped || o.ok) o.stamp = file_stamp(item_path(out_dir, it));
  o.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return o;
}

}  // namespace

std::optional<FileStamp> file_stamp(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec) || ec) return std::nullopt;
  FileStamp s;
  s.size = std::filesystem::file_size(path, ec);
  if (ec) return std::nullopt;
  s.modified = std::filesystem::last_write_time(path, ec);
  if (ec) return std::nullopt;
  return s;
}

std::string item_path(const std::string& out_dir, const WorkItem& item) {
  return (std::filesystem::path(out_dir) / item.file).string();
}

output::RunFileCheck item_on_disk(const std::string& out_dir, const WorkItem& item,
                                  const scenario::LoadedScenario* loaded, std::uint32_t master_seed,
                                  model::RecordLevel record_level, output::CheckDepth depth) {
  if (!loaded) return {};
  const output::ExpectedRun expected{loaded->sha256, master_seed, item.replication, record_level, &loaded->spec, true};
  return output::check_run_file(item_path(out_dir, item), expected, depth);
}

bool item_done_on_disk(const std::string& out_dir, const WorkItem& item, const scenario::LoadedScenario* loaded,
                       std::uint32_t master_seed, model::RecordLevel record_level) {
  return item_on_disk(out_dir, item, loaded, master_seed, record_level).status == output::RunFileStatus::done;
}

std::string describe(const output::RunFileCheck& check) {
  switch (check.status) {
    case output::RunFileStatus::damaged: return fmt::format("damaged ({})", check.reason);
    case output::RunFileStatus::other: return fmt::format("another run ({})", check.reason);
    default: return "";
  }
}

SweepRunResult run_sweep_items(const SweepPlan& plan, const SweepScenarios& scenarios, std::uint32_t master_seed,
                               model::RecordLevel record_level, const std::vector<std::size_t>& todo,
                               const std::string& out_dir, std::size_t threads, const std::atomic<bool>* stop,
                               const SweepCallbacks& callbacks, bool lean_memory) {
  SweepRunResult result;
  result.errors.resize(plan.items().size());
  result.done.resize(plan.items().size());
  result.checks.resize(plan.items().size());
  result.stamps.resize(plan.items().size());
  std::mutex mutex;  // guards result, timings and progress calls
  std::error_code ignored;  // a folder that cannot be made fails each item with the reason
  std::filesystem::create_directories(out_dir, ignored);
  std::ofstream timings((std::filesystem::path(out_dir) / "sweep_timings.csv").string(), std::ios::app);
  const auto started = Clock::now();
  std::size_t finished = 0;
  auto notice = [&](const std::string& line) {
    const std::lock_guard<std::mutex> lock(mutex);
    if (callbacks.notice) callbacks.notice(line);
  };
  auto work = [&](std::size_t t) {
    const WorkItem& it = plan.items()[todo[t]];
    Outcome o;
    try {
      o = run_item(it, plan, scenarios, master_seed, record_level, lean_memory, out_dir, stop, notice);
    } catch (const core::Cancelled&) {
      return;  // the writer removed its partial file
    }
    const std::lock_guard<std::mutex> lock(mutex);
    if (!o.error.empty()) result.errors[it.index] = o.error;
    result.done[it.index] = o.skipped || o.ok;
    if (o.skipped || o.ok) {
      result.checks[it.index] = std::move(o.check);
      result.stamps[it.index] = o.stamp;
    }
    o.skipped ? ++result.skipped : o.ok ? ++result.ran : ++result.failed;
    result.bytes += o.bytes;
    if (o.ok || !o.error.empty())
      timings << fmt::format("{},{},{},{},{:.3f},{}\n", it.index, plan.variants()[it.variant].name, it.sample,
                             it.replication, o.seconds, o.ok ? "done" : "failed");
    const std::size_t n = ++finished;
    const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    if (callbacks.progress)
      callbacks.progress({n, todo.size(), result.skipped, result.failed, elapsed,
                          elapsed / static_cast<double>(n) * static_cast<double>(todo.size() - n)});
  };
  result.thread_error = ReplicationPool(threads).run(todo.size(), work, stop).thread_error;
  return result;
}

}  // namespace tsim::batch
