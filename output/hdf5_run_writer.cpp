#include "output/hdf5_run_writer.hpp"

#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <hdf5.h>
#include <map>
#include <mutex>
#include <zlib.h>
#include <vector>

#include "output/atomic_file.hpp"

namespace tsim::output {

// Debian's HDF5 is built without thread safety: every call into the library,
// from any writer in the process, goes through this one lock.
std::recursive_mutex& hdf5_library_mutex() {
  static std::recursive_mutex m;
  return m;
}

namespace {

constexpr hsize_t kChunk = 65536;  // elements per chunk, as docs/OUTPUT.md says
constexpr unsigned kDeflateLevel = 4;

hid_t check(hid_t id, const char* what) {
  if (id < 0) throw OutputError(fmt::format("HDF5 failed to {}", what));
  return id;
}
void check(herr_t rc, const char* what, int) {
  if (rc < 0) throw OutputError(fmt::format("HDF5 failed to {}", what));
}

// Closes an HDF5 handle with the right function when it goes out of scope.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Handle& operator=(Handle&& o) noexcept {
    reset();
    id_ = o.id_;
    close_ = o.close_;
    o.id_ = -1;
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }
  void reset() {
    if (id_ >= 0 && close_) close_(id_);
    id_ = -1;
  }
  [[nodiscard]] hid_t get() const noexcept { return id_; }
  /// Gives up ownership (the caller closes it).
  hid_t release() noexcept {
    const hid_t id = id_;
    id_ = -1;
    return id;
  }

 private:
  hid_t id_ = -1;
  herr_t (*close_)(hid_t) = nullptr;
};

Handle string_type() {
  Handle t(check(H5Tcopy(H5T_C_S1), "copy string type"), H5Tclose);
  check(H5Tset_size(t.get(), H5T_VARIABLE), "set string size", 0);
  check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "set string charset", 0);
  return t;
}

template <class T>
hid_t mem_type();
template <>
hid_t mem_type<std::int32_t>() { return H5T_NATIVE_INT32; }
template <>
hid_t mem_type<double>() { return H5T_NATIVE_DOUBLE; }

template <class T>
hid_t file_type();
template <>
hid_t file_type<std::int32_t>() { return H5T_STD_I32LE; }
template <>
hid_t file_type<double>() { return H5T_IEEE_F64LE; }

Handle group_props() {
  Handle p(check(H5Pcreate(H5P_GROUP_CREATE), "create group properties"), H5Pclose);
  check(H5Pset_obj_track_times(p.get(), false), "turn off group timestamps", 0);
  return p;
}

Handle make_group(hid_t parent, const std::string& name) {
  auto gcpl = group_props();
  return Handle(check(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), "create a group"),
                H5Gclose);
}

// Shuffle (for integers) and deflate one chunk ourselves, exactly as HDF5's
// filters would, so that compression runs outside the library lock and
// several runs can write files at once.
std::vector<unsigned char> encode_chunk(const unsigned char* raw, std::size_t bytes, std::size_t element, bool shuffle) {
  std::vector<unsigned char> shuffled;
  const unsigned char* src = raw;
  if (shuffle && element > 1) {
    const std::size_t n = bytes / element;
    shuffled.resize(bytes);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < element; ++j) shuffled[j * n + i] = raw[i * element + j];
    src = shuffled.data();
  }
  uLongf size = compressBound(static_cast<uLong>(bytes));
  std::vector<unsigned char> out(size);
  if (compress2(out.data(), &size, src, static_cast<uLong>(bytes), static_cast<int>(kDeflateLevel)) != Z_OK)
    throw OutputError("deflate failed");
  out.resize(size);
  return out;
}

// An extendible 1-D column of numbers, written a whole compressed chunk at a
// time (H5Dwrite_chunk); a partial last chunk is padded and written by flush().
class Column {
 public:
  Column() = default;
  Column(hid_t group, const std::string& name, hid_t ftype, std::size_t element, bool integer, hsize_t chunk)
      : element_(element), shuffle_(integer), chunk_(chunk) {
    const std::lock_guard<std::recursive_mutex> lock(hdf5_library_mutex());
    const hsize_t zero = 0, unlimited = H5S_UNLIMITED;
    Handle space(check(H5Screate_simple(1, &zero, &unlimited), "create a dataspace"), H5Sclose);
    Handle dcpl(check(H5Pcreate(H5P_DATASET_CREATE), "create dataset properties"), H5Pclose);
    check(H5Pset_obj_track_times(dcpl.get(), false), "turn off dataset timestamps", 0);
    check(H5Pset_chunk(dcpl.get(), 1, &chunk), "set chunking", 0);
    if (integer) check(H5Pset_shuffle(dcpl.get()), "set shuffle", 0);
    check(H5Pset_deflate(dcpl.get(), kDeflateLevel), "set deflate", 0);
    dset_ = Handle(check(H5Dcreate2(group, name.c_str(), ftype, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                         "create a dataset"),
                   H5Dclose);
  }

  /// Adds n elements (native layout, little-endian on our platforms).
  void append(const void* data, hsize_t n) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    pending_.insert(pending_.end(), bytes, bytes + n * element_);
    const std::size_t chunk_bytes = chunk_ * element_;
    std::size_t done = 0;
    while (pending_.size() - done >= chunk_bytes) {
      write_chunk(pending_.data() + done, chunk_bytes, chunk_);
      done += chunk_bytes;
    }
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(done));
  }

  /// Writes what is left, padded to a whole chunk (readers see only the extent).
  void flush() {
    if (pending_.empty()) return;
    const std::size_t n = pending_.size() / element_;
    pending_.resize(chunk_ * element_, 0);
    write_chunk(pending_.data(), pending_.size(), n);
    pending_.clear();
  }

 private:
  void write_chunk(const unsigned char* raw, std::size_t bytes, std::size_t elements) {
    const auto encoded = encode_chunk(raw, bytes, element_, shuffle_);  // outside the lock
    const std::lock_guard<std::recursive_mutex> lock(hdf5_library_mutex());
    const hsize_t offset = size_, new_size = size_ + elements;
    check(H5Dset_extent(dset_.get(), &new_size), "extend a dataset", 0);
    check(H5Dwrite_chunk(dset_.get(), H5P_DEFAULT, 0, &offset, encoded.size(), encoded.data()), "write a chunk", 0);
    size_ = new_size;
  }

  Handle dset_;
  hsize_t size_ = 0;
  std::size_t element_ = 8;
  bool shuffle_ = false;
  hsize_t chunk_ = kChunk;
  std::vector<unsigned char> pending_;
};

// Variable-length UTF-8 strings, written whole (dictionaries are small).
void write_strings(hid_t group, const std::string& name, const std::vector<std::string>& values, hsize_t chunk) {
  const std::lock_guard<std::recursive_mutex> lock(hdf5_library_mutex());
  auto st = string_type();
  const hsize_t n = values.size(), unlimited = H5S_UNLIMITED;
  Handle space(check(H5Screate_simple(1, &n, &unlimited), "create a dataspace"), H5Sclose);
  Handle dcpl(check(H5Pcreate(H5P_DATASET_CREATE), "create dataset properties"), H5Pclose);
  check(H5Pset_obj_track_times(dcpl.get(), false), "turn off dataset timestamps", 0);
  check(H5Pset_chunk(dcpl.get(), 1, &chunk), "set chunking", 0);
  Handle ds(check(H5Dcreate2(group, name.c_str(), st.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                  "create a dataset"),
            H5Dclose);
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  if (n) check(H5Dwrite(ds.get(), st.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "write strings", 0);
}

// A table: a group of equal-length columns.
class Table {
 public:
  Table() = default;
  Table(hid_t parent, const std::string& name, hsize_t chunk = kChunk) : chunk_(chunk) {
    const std::lock_guard<std::recursive_mutex> lock(hdf5_library_mutex());
    group_ = make_group(parent, name);
  }

  template <class T>
  void append(const std::string& column, const std::vector<T>& values) {
    column_for<T>(column).append(values.data(), values.size());
  }
  void append_strings(const std::string& column, const std::vector<std::string>& values) {
    write_strings(group_.get(), column, values, std::max<hsize_t>(1, std::min<hsize_t>(chunk_, values.size())));
  }
  /// Creates a column now (so empty tables still have every column).
  template <class T>
  void declare(const std::string& column) {
    (void)column_for<T>(column);
  }
  /// Writes every column's partial last chunk.
  void flush() {
    for (auto& [name, column] : columns_) column.flush();
  }
  [[nodiscard]] hid_t group() const noexcept { return group_.get(); }

 private:
  template <class T>
  Column& column_for(const std::string& column) {
    auto it = columns_.find(column);
    if (it == columns_.end())
      it = columns_.emplace(column, Column(group_.get(), column, file_type<T>(), sizeof(T), std::is_integral_v<T>, chunk_)).first;
    return it->second;
  }

  Handle group_;
  hsize_t chunk_ = kChunk;
  std::map<std::string, Column> columns_;
};

void write_attribute(hid_t obj, const char* name, const std::string& value) {
  auto st = string_type();
  Handle space(check(H5Screate(H5S_SCALAR), "create a scalar dataspace"), H5Sclose);
  Handle attr(check(H5Acreate2(obj, name, st.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), "create an attribute"),
              H5Aclose);
  const char* p = value.c_str();
  check(H5Awrite(attr.get(), st.get(), &p), "write an attribute", 0);
}

template <class T>
void write_attribute(hid_t obj, const char* name, T value) {
  Handle space(check(H5Screate(H5S_SCALAR), "create a scalar dataspace"), H5Sclose);
  Handle attr(check(H5Acreate2(obj, name, file_type<T>(), space.get(), H5P_DEFAULT, H5P_DEFAULT), "create an attribute"),
              H5Aclose);
  check(H5Awrite(attr.get(), mem_type<T>(), &value), "write an attribute", 0);
}

std::recursive_mutex& library_mutex() { return hdf5_library_mutex(); }

hsize_t small_chunk(std::size_t n) { return std::max<hsize_t>(1, std::min<hsize_t>(kChunk, n)); }

}  // namespace

struct Hdf5RunWriter::Impl {
  std::string partial;
  Handle file;
  Table events, census, flows, pools, persons;
  std::vector<std::string> census_by;
  std::vector<std::string> attribute_names;
  // Scratch columns for splitting event records, reused between batches.
  std::vector<double> day;
  std::vector<std::int32_t> person, event, from, to;
  bool finished = false;
};

Hdf5RunWriter::Hdf5RunWriter(std::string final_path) : impl_(std::make_unique<Impl>()), final_path_(std::move(final_path)) {
  impl_->partial = partial_path(final_path_);
}

Hdf5RunWriter::~Hdf5RunWriter() {
  const std::lock_guard<std::recursive_mutex> lock(library_mutex());
  if (impl_ && !impl_->finished) {
    impl_->events = Table();
    impl_->census = Table();
    impl_->flows = Table();
    impl_->pools = Table();
    impl_->persons = Table();
    impl_->file.reset();
    std::error_code ec;
    std::filesystem::remove(impl_->partial, ec);
  }
}

void Hdf5RunWriter::begin(const model::RunHeader& h) {
  const std::lock_guard<std::recursive_mutex> lock(library_mutex());
  Impl& m = *impl_;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions, not stderr noise
  Handle fcpl(check(H5Pcreate(H5P_FILE_CREATE), "create file properties"), H5Pclose);
  check(H5Pset_obj_track_times(fcpl.get(), false), "turn off root group timestamps", 0);
  const hid_t f = H5Fcreate(m.partial.c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT);
  if (f < 0) throw OutputError(fmt::format("cannot create {}", m.partial));
  m.file = Handle(f, H5Fclose);
  const hid_t root = m.file.get();
  const model::ScenarioSpec& spec = *h.spec;

  write_attribute(root, "schema", std::string("traineesim.run"));
  write_attribute<std::int32_t>(root, "schema_version", 1);
  write_attribute(root, "traineesim_version", h.traineesim_version);
  write_attribute(root, "git_sha", h.git_sha);
  write_attribute(root, "scenario_name", spec.name);
  write_attribute(root, "scenario_sha256", h.scenario_sha256);
  write_attribute(root, "policies", h.policies);
  write_attribute(root, "variant", h.variant);
  write_attribute<std::int32_t>(root, "replication", static_cast<std::int32_t>(h.replication));
  write_attribute<std::int32_t>(root, "master_seed", static_cast<std::int32_t>(h.master_seed));
  write_attribute(root, "rng_scheme", h.rng_scheme);
  write_attribute(root, "start_date", core::format_date(spec.start_date));
  write_attribute<double>(root, "horizon_days", spec.horizon_days);
  write_attribute(root, "time_unit", std::string("day"));
  write_attribute(root, "record_level", std::string(model::to_string(h.record_level)));

  {
    auto sc = make_group(root, "scenario");
    auto st = string_type();
    Handle space(check(H5Screate(H5S_SCALAR), "create a scalar dataspace"), H5Sclose);
    Handle dcpl(check(H5Pcreate(H5P_DATASET_CREATE), "create dataset properties"), H5Pclose);
    check(H5Pset_obj_track_times(dcpl.get(), false), "turn off dataset timestamps", 0);
    Handle ds(check(H5Dcreate2(sc.get(), "resolved", st.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                    "create /scenario/resolved"),
              H5Dclose);
    const char* p = h.resolved_text.c_str();
    check(H5Dwrite(ds.get(), st.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), "write /scenario/resolved", 0);
  }

  auto dict = make_group(root, "dictionary");
  {
    Table t(dict.get(), "states", small_chunk(spec.states.size()));
    std::vector<std::int32_t> code, band;
    std::vector<std::string> name, profession, kind;
    for (std::size_t i = 0; i < spec.states.size(); ++i) {
      code.push_back(static_cast<std::int32_t>(i));
      name.push_back(spec.states[i].name);
      profession.push_back(spec.states[i].profession);
      kind.push_back(model::to_string(spec.states[i].kind));
      band.push_back(spec.states[i].band);
    }
    t.append("code", code);
    t.append_strings("name", name);
    t.append_strings("profession", profession);
    t.append_strings("kind", kind);
    t.append("band", band);
  }
  auto code_name = [&](hid_t parent, const std::string& table, const std::vector<std::string>& names,
                       const char* label_column) {
    Table t(parent, table, small_chunk(names.size()));
    std::vector<std::int32_t> code;
    for (std::size_t i = 0; i < names.size(); ++i) code.push_back(static_cast<std::int32_t>(i));
    t.append("code", code);
    t.append_strings(label_column, names);
  };
  code_name(dict.get(), "events", spec.events, "name");
  {
    std::vector<std::string> routes;
    for (const auto& r : spec.routes) routes.push_back(r.name);
    code_name(dict.get(), "routes", routes, "name");
    std::vector<std::string> pools;
    for (const auto& p : spec.pools) pools.push_back(p.name);
    code_name(dict.get(), "pools", pools, "name");
  }
  {
    auto attrs = make_group(dict.get(), "attributes");
    for (const auto& a : spec.attributes) {
      Table t(attrs.get(), a.name, small_chunk(a.levels.size()));
      std::vector<std::int32_t> code;
      std::vector<double> population;
      for (std::size_t i = 0; i < a.levels.size(); ++i) {
        code.push_back(static_cast<std::int32_t>(i));
        population.push_back(a.population.empty() ? std::nan("") : a.population[i]);
      }
      t.append("code", code);
      t.append_strings("label", a.levels);
      t.append("population", population);
      m.attribute_names.push_back(a.name);
    }
  }

  m.census_by = h.census_by;
  m.census = Table(root, "census");
  m.census.declare<std::int32_t>("period");
  m.census.declare<double>("period_end_day");
  m.census.declare<std::int32_t>("state");
  for (const auto& c : m.census_by) m.census.declare<std::int32_t>(c);
  m.census.declare<std::int32_t>("headcount");
  m.census.declare<double>("fte");
  m.flows = Table(root, "flows");
  m.flows.declare<std::int32_t>("period");
  m.flows.declare<std::int32_t>("from_state");
  m.flows.declare<std::int32_t>("to_state");
  for (const auto& c : m.census_by) m.flows.declare<std::int32_t>(c);
  m.flows.declare<std::int32_t>("count");
  m.pools = Table(root, "pools");
  for (const char* c : {"period", "pool", "capacity", "in_use", "queue_length", "granted"}) m.pools.declare<std::int32_t>(c);
  m.pools.declare<double>("mean_wait_days");
  m.pools.declare<double>("max_wait_days");
  if (h.record_level == model::RecordLevel::full) {
    m.events = Table(root, "events");
    m.events.declare<double>("day");
    for (const char* c : {"person_id", "event", "from_state", "to_state"}) m.events.declare<std::int32_t>(c);
  }
  if (h.record_level != model::RecordLevel::summary) m.persons = Table(root, "persons");
}

void Hdf5RunWriter::events(std::span<const model::EventRecord> batch) {
  Impl& m = *impl_;
  m.day.clear();
  m.person.clear();
  m.event.clear();
  m.from.clear();
  m.to.clear();
  for (const auto& e : batch) {
    m.day.push_back(e.day);
    m.person.push_back(e.person_id);
    m.event.push_back(e.event);
    m.from.push_back(e.from_state);
    m.to.push_back(e.to_state);
  }
  m.events.append("day", m.day);
  m.events.append("person_id", m.person);
  m.events.append("event", m.event);
  m.events.append("from_state", m.from);
  m.events.append("to_state", m.to);
}

void Hdf5RunWriter::census(const model::CensusBatch& b) {
  Impl& m = *impl_;
  m.census.append("period", b.period);
  m.census.append("period_end_day", b.period_end_day);
  m.census.append("state", b.state);
  for (std::size_t i = 0; i < m.census_by.size(); ++i) m.census.append(m.census_by[i], b.by[i]);
  m.census.append("headcount", b.headcount);
  m.census.append("fte", b.fte);
}

void Hdf5RunWriter::flows(const model::FlowBatch& b) {
  Impl& m = *impl_;
  m.flows.append("period", b.period);
  m.flows.append("from_state", b.from_state);
  m.flows.append("to_state", b.to_state);
  for (std::size_t i = 0; i < m.census_by.size(); ++i) m.flows.append(m.census_by[i], b.by[i]);
  m.flows.append("count", b.count);
}

void Hdf5RunWriter::pools(const model::PoolBatch& b) {
  Impl& m = *impl_;
  m.pools.append("period", b.period);
  m.pools.append("pool", b.pool);
  m.pools.append("capacity", b.capacity);
  m.pools.append("in_use", b.in_use);
  m.pools.append("queue_length", b.queue_length);
  m.pools.append("granted", b.granted);
  m.pools.append("mean_wait_days", b.mean_wait_days);
  m.pools.append("max_wait_days", b.max_wait_days);
}

void Hdf5RunWriter::persons(const model::PersonBatch& b) {
  Impl& m = *impl_;
  m.persons.append("person_id", b.person_id);
  for (std::size_t i = 0; i < m.attribute_names.size(); ++i) m.persons.append(m.attribute_names[i], b.attributes[i]);
  m.persons.append("route", b.route);
  m.persons.append("is_initial_stock", b.is_initial_stock);
  m.persons.append("entry_day", b.entry_day);
  m.persons.append("entry_state", b.entry_state);
  m.persons.append("age_at_entry", b.age_at_entry);
  m.persons.append("fte", b.fte);
  m.persons.append("qualified_day", b.qualified_day);
  m.persons.append("qualified_state", b.qualified_state);
  m.persons.append("exit_day", b.exit_day);
  m.persons.append("exit_state", b.exit_state);
}

void Hdf5RunWriter::finish() {
  Impl& m = *impl_;
  for (Table* t : {&m.events, &m.census, &m.flows, &m.pools, &m.persons}) t->flush();  // compresses outside the lock
  const std::lock_guard<std::recursive_mutex> lock(library_mutex());
  write_attribute<std::int32_t>(m.file.get(), "complete", 1);  // written last, as the contract says
  m.events = Table();
  m.census = Table();
  m.flows = Table();
  m.pools = Table();
  m.persons = Table();
  const hid_t f = m.file.get();
  if (H5Fflush(f, H5F_SCOPE_GLOBAL) < 0) throw OutputError(fmt::format("cannot flush {}", m.partial));
  if (H5Fclose(m.file.release()) < 0) throw OutputError(fmt::format("cannot close {}", m.partial));
  publish(m.partial, final_path_);
  m.finished = true;
  std::error_code ec;
  bytes_ = std::filesystem::file_size(final_path_, ec);
}

}  // namespace tsim::output
