#include "output/hdf5_run_writer.hpp"

#include <cerrno>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <map>

#include "output/atomic_file.hpp"
#include "output/chunk_codec.hpp"
#include "output/h5.hpp"
#include "output/run_dictionaries.hpp"

namespace tsim::output {

namespace {

constexpr hsize_t kChunk = 65536;  // elements per chunk, as docs/OUTPUT.md says

// An extendible 1-D column written a whole compressed chunk at a time
// (H5Dwrite_chunk). stage() compresses without the library lock; write()
// hands the finished chunks to HDF5 and needs it.
class StreamColumn {
 public:
  // Caller holds the lock.
  StreamColumn(hid_t group, const model::ColumnSpec& spec)
      : element_(spec.type == model::ColumnType::int32 ? sizeof(std::int32_t) : sizeof(double)),
        shuffle_(spec.type == model::ColumnType::int32) {
    auto dcpl = h5::column_properties(kChunk, shuffle_, true);
    dset_ = h5::create_column(group, spec.name,
                              spec.type == model::ColumnType::int32 ? H5T_STD_I32LE : H5T_IEEE_F64LE, dcpl.get());
    h5::write_attribute(dset_.get(), "role", std::string(model::to_string(spec.role)));
    const std::string dictionary = model::dictionary_of(spec.role, spec.name);
    if (!dictionary.empty()) h5::write_attribute(dset_.get(), "dictionary", dictionary);
  }

  // Adds values; every whole chunk is compressed and kept for write().
  void stage(const model::ColumnData& values) {
    std::visit(
        [&](const auto& v) {
          const auto* bytes = reinterpret_cast<const unsigned char*>(v.data());
          pending_.insert(pending_.end(), bytes, bytes + v.size() * element_);
        },
        values);
    const std::size_t chunk_bytes = kChunk * element_;
    std::size_t done = 0;
    while (pending_.size() - done >= chunk_bytes) {
      ready_.push_back({encode_chunk(pending_.data() + done, chunk_bytes, element_, shuffle_), kChunk});
      done += chunk_bytes;
    }
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(done));
  }

  // The partial last chunk, padded (readers see only the extent).
  void stage_last() {
    if (pending_.empty()) return;
    const std::size_t n = pending_.size() / element_;
    pending_.resize(kChunk * element_, 0);
    ready_.push_back({encode_chunk(pending_.data(), pending_.size(), element_, shuffle_), n});
    pending_.clear();
  }

  // Caller holds the lock.
  void write() {
    for (const auto& [bytes, elements] : ready_) {
      const hsize_t offset = size_, new_size = size_ + elements;
      errno = 0;
      h5::check_io(H5Dset_extent(dset_.get(), &new_size), "extend a dataset");
      errno = 0;
      h5::check_io(H5Dwrite_chunk(dset_.get(), H5P_DEFAULT, 0, &offset, bytes.size(), bytes.data()), "write a chunk");
      size_ = new_size;
    }
    ready_.clear();
  }

  void close() { dset_.reset(); }

 private:
  struct Encoded {
    std::vector<unsigned char> bytes;
    hsize_t elements;
  };
  h5::Handle dset_;
  hsize_t size_ = 0;
  std::size_t element_;
  bool shuffle_;
  std::vector<unsigned char> pending_;
  std::vector<Encoded> ready_;
};

// A table: a group of equal-length columns, as the schema declares them.
struct StreamTable {
  const model::TableSchema* schema = nullptr;
  h5::Handle group;
  std::vector<StreamColumn> columns;
};

// /dictionary: states, events, routes, pools, then attributes/<name>, in
// the order run_dictionaries gives (the bytes depend on it).
void write_dictionaries(hid_t root, const model::ScenarioSpec& spec) {
  auto dict = h5::create_group(root, "dictionary");
  const std::string prefix = kAttributeDictionaries;
  h5::Handle attributes;
  auto attributes_group = [&] {
    if (!attributes) attributes = h5::create_group(dict.get(), "attributes");
    return attributes.get();
  };
  for (const auto& d : run_dictionaries(spec)) {
    const bool attribute = d.group.rfind(prefix, 0) == 0;
    auto g = attribute ? h5::create_group(attributes_group(), d.group.substr(prefix.size()))
                       : h5::create_group(dict.get(), d.group);
    for (const auto& c : d.columns) std::visit([&](const auto& v) { h5::write_column(g.get(), c.name, v); }, c.values);
  }
  (void)attributes_group();  // written even when the scenario declares no attributes
}

void write_header(hid_t root, const model::RunHeader& h) {
  const model::ScenarioSpec& spec = *h.spec;
  h5::write_attribute(root, "schema", std::string("traineesim.run"));
  h5::write_attribute(root, "schema_version", model::kRunSchemaVersion);
  h5::write_attribute(root, "traineesim_version", h.traineesim_version);
  h5::write_attribute(root, "git_sha", h.git_sha);
  h5::write_attribute(root, "scenario_name", spec.name);
  h5::write_attribute(root, "scenario_sha256", h.scenario_sha256);
  h5::write_attribute(root, "policies", h.policies);
  h5::write_attribute(root, "variant", h.variant);
  h5::write_attribute(root, "replication", static_cast<std::int32_t>(h.replication));
  h5::write_attribute(root, "master_seed", static_cast<std::int32_t>(h.master_seed));
  h5::write_attribute(root, "rng_scheme", h.rng_scheme);
  h5::write_attribute(root, "start_date", core::format_date(spec.start_date));
  h5::write_attribute(root, "horizon_days", spec.horizon_days);
  h5::write_attribute(root, "time_unit", std::string("day"));
  h5::write_attribute(root, "record_level", std::string(model::to_string(h.record_level)));
  auto sc = h5::create_group(root, "scenario");
  h5::write_text(sc.get(), "resolved", h.resolved_text);
}

}  // namespace

struct Hdf5RunWriter::Impl {
  std::string partial;
  model::RunHeader header;  // keeps the schema alive
  h5::Handle file;
  std::map<model::TableId, StreamTable> tables;  // those the record level writes
  bool finished = false;

  void close_all() {
    for (auto& [id, t] : tables) {
      for (auto& c : t.columns) c.close();
      t.group.reset();
    }
    tables.clear();
  }
};

Hdf5RunWriter::Hdf5RunWriter(std::string final_path) : impl_(std::make_unique<Impl>()), final_path_(std::move(final_path)) {
  impl_->partial = partial_path(final_path_);
}

Hdf5RunWriter::~Hdf5RunWriter() {
  if (!impl_ || impl_->finished) return;
  truncate_abandoned(impl_->partial);
  {
    const auto lock = h5::lock();
    impl_->close_all();
    impl_->file.reset();
  }
  std::error_code ec;
  std::filesystem::remove(impl_->partial, ec);
}

namespace {
// Runs `body`, adding the file's name to any OutputError it throws.
template <class F>
void naming(const std::string& path, F&& body) {
  try {
    body();
  } catch (const OutputError& e) {
    const std::string what = e.what();
    if (what.rfind(path, 0) == 0) throw;
    throw OutputError(fmt::format("{}: {}", path, what));
  }
}
}  // namespace

void Hdf5RunWriter::begin(const model::RunHeader& h) {
  naming(final_path_, [&] { begin_file(h); });
}

void Hdf5RunWriter::append(const model::TableBatch& rows) {
  naming(final_path_, [&] { append_rows(rows); });
}

void Hdf5RunWriter::finish() {
  naming(final_path_, [&] { finish_file(); });
}

void Hdf5RunWriter::begin_file(const model::RunHeader& h) {
  if (!h.spec || !h.schema) throw OutputError("a run header needs its scenario and schema");
  Impl& m = *impl_;
  m.header = h;
  const auto lock = h5::lock();
  m.file = h5::create_file(m.partial);
  const hid_t root = m.file.get();
  write_header(root, h);
  write_dictionaries(root, *h.spec);
  for (model::TableId id : model::kAllTables) {
    if (!model::writes(h.record_level, id)) continue;
    StreamTable t;
    t.schema = &m.header.schema->table(id);
    t.group = h5::create_group(root, t.schema->name());
    for (const auto& c : t.schema->columns()) t.columns.emplace_back(t.group.get(), c);
    m.tables.emplace(id, std::move(t));
  }
}

void Hdf5RunWriter::append_rows(const model::TableBatch& rows) {
  Impl& m = *impl_;
  const auto it = m.tables.find(rows.table());
  if (it == m.tables.end())
    throw OutputError(fmt::format("table '{}' is not written at record level {}", rows.schema().name(),
                                  model::to_string(m.header.record_level)));
  StreamTable& t = it->second;
  if (!(rows.schema() == *t.schema) || !rows.consistent())
    throw OutputError(fmt::format("rows for table '{}' do not match its columns", t.schema->name()));
  for (std::size_t i = 0; i < t.columns.size(); ++i) t.columns[i].stage(rows.column(i));  // compresses, unlocked
  const auto lock = h5::lock();
  for (auto& c : t.columns) c.write();
}

void Hdf5RunWriter::finish_file() {
  Impl& m = *impl_;
  for (auto& [id, t] : m.tables)
    for (auto& c : t.columns) c.stage_last();
  {
    const auto lock = h5::lock();
    for (auto& [id, t] : m.tables)
      for (auto& c : t.columns) c.write();
    h5::write_attribute(m.file.get(), "complete", std::int32_t{1});  // written last, as the contract says
    m.close_all();
    errno = 0;
    h5::check_io(H5Fflush(m.file.get(), H5F_SCOPE_GLOBAL), "flush the file");
    errno = 0;
    h5::check_io(m.file.reset() ? 0 : -1, "close the file");
  }
  publish(m.partial, final_path_);
  m.finished = true;
  std::error_code ec;
  bytes_ = std::filesystem::file_size(final_path_, ec);
}

}  // namespace tsim::output
