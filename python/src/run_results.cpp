#include "python/src/run_results.hpp"

#include <filesystem>
#include <pybind11/numpy.h>
#include <stdexcept>

#include "output/atomic_file.hpp"
#include "output/hdf5_run_writer.hpp"
#include "python/src/columns.hpp"
#include "python/src/interruptible.hpp"
#include "sim/batch/replication_pool.hpp"
#include "sim/batch/replications.hpp"
#include "sim/batch/run_header.hpp"
#include "sim/batch/run_one.hpp"
#include "sim/batch/thread_count.hpp"

namespace py = pybind11;

namespace tsim::python {

namespace {

long long in_range(long long value, long long low, long long high, const char* what) {
  if (value < low || value > high)
    throw std::invalid_argument(std::string(what) + " must be between " + std::to_string(low) + " and " +
                                std::to_string(high) + ", got " + std::to_string(value));
  return value;
}

model::TableId table_id(const std::string& name) {
  for (model::TableId id : model::kAllTables)
    if (name == model::to_string(id)) return id;
  throw std::invalid_argument("no table '" + name + "': census, flows, events, persons or pools");
}

}  // namespace

RunSettings checked_settings(long long replications, long long seed, long long threads, const std::string& record) {
  RunSettings s;
  s.replications = static_cast<std::uint32_t>(in_range(replications, 1, 100000, "replications"));
  s.seed = static_cast<std::uint32_t>(in_range(seed, 0, 2147483647, "seed"));
  const auto t = static_cast<std::size_t>(in_range(threads, 0, 4096, "threads"));
  s.threads = std::min<std::size_t>(t == 0 ? batch::default_thread_count() : t, s.replications);
  if (record == "full") s.level = model::RecordLevel::full;
  else if (record == "census") s.level = model::RecordLevel::census;
  else if (record == "summary") s.level = model::RecordLevel::summary;
  else throw std::invalid_argument("record must be 'full', 'census' or 'summary', got '" + record + "'");
  return s;
}

RunResults::RunResults(std::shared_ptr<const scenario::LoadedScenario> loaded, std::string variant,
                       RunSettings settings)
    : loaded_(std::move(loaded)), variant_(std::move(variant)), settings_(settings) {
  for (std::uint32_t r = 0; r < settings_.replications; ++r) sinks_.push_back(std::make_unique<model::MemorySink>());
  summaries_.resize(settings_.replications);
}

std::shared_ptr<RunResults> RunResults::run(const ScenarioHandle& scenario, const RunSettings& settings) {
  std::shared_ptr<RunResults> results(new RunResults(scenario.shared(), scenario.variant(), settings));
  RunResults& r = *results;
  run_interruptible([&r](const std::atomic<bool>& stop) {
    const batch::ReplicationPool pool(r.settings_.threads);
    (void)pool.run(
        r.settings_.replications,
        [&r, &stop](std::size_t i) {
          batch::RunRequest request;
          request.variant = r.variant_;
          request.master_seed = r.settings_.seed;
          request.replication = static_cast<std::uint32_t>(i);
          request.record_level = r.settings_.level;
          request.stop = &stop;
          r.summaries_[i] = batch::run_one(*r.loaded_, request, *r.sinks_[i]);
        },
        &stop);
  });
  return results;
}

py::list RunResults::table(const std::string& name) const {
  const model::TableId id = table_id(name);
  std::vector<const model::TableBatch*> parts;
  std::vector<std::int32_t> replications;
  for (std::size_t r = 0; r < sinks_.size(); ++r) {
    parts.push_back(&sinks_[r]->table(id));
    replications.push_back(static_cast<std::int32_t>(r));
  }
  return table_columns(sinks_.front()->header().schema->table(id), parts, replications);
}

py::dict RunResults::dictionaries() const {
  return python::dictionaries(loaded_->spec, *sinks_.front()->header().schema);
}

py::dict RunResults::summary() const {
  const auto n = static_cast<py::ssize_t>(summaries_.size());
  py::array_t<std::int32_t> replication(n);
  py::array_t<std::int64_t> persons(n), records(n), events(n);
  for (py::ssize_t r = 0; r < n; ++r) {
    const auto& s = summaries_[static_cast<std::size_t>(r)];
    replication.mutable_at(r) = static_cast<std::int32_t>(r);
    persons.mutable_at(r) = static_cast<std::int64_t>(s.persons);
    records.mutable_at(r) = static_cast<std::int64_t>(s.records);
    events.mutable_at(r) = static_cast<std::int64_t>(s.events_handled);
  }
  py::dict out;
  out["replication"] = replication;
  out["persons"] = persons;
  out["records"] = records;
  out["events_handled"] = events;
  return out;
}

std::vector<std::string> RunResults::write(const std::string& dir) const {
  const std::string variant_dir = (std::filesystem::path(dir) / variant_).string();
  output::ensure_writable_directory(variant_dir);
  std::vector<std::string> paths;
  for (std::uint32_t r = 0; r < sinks_.size(); ++r) {
    paths.push_back(batch::replication_path(variant_dir, r));
    output::Hdf5RunWriter writer(paths.back());
    writer.begin(batch::make_run_header(*loaded_, variant_, settings_.seed, r, settings_.level));
    for (model::TableId id : model::kAllTables)
      if (model::writes(settings_.level, id)) writer.append(sinks_[r]->table(id));
    writer.finish();
  }
  return paths;
}

}  // namespace tsim::python
