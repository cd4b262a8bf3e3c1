#include "output/hdf5_run_writer.hpp"

#include <cerrno>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "output/atomic_file.hpp"
#include "output/chunk_codec.hpp"
#include "output/h5.hpp"
#include "output/run_dictionaries.hpp"

namespace tsim::output {

namespace {

constexpr hsize_t kChunk = 65536;  // elements per chunk, as docs/OUTPUT.md says
// Whole chunks waiting for a compressor (not counting those being compressed
// or waiting to be written): enough to ride out a burst (a flush of /events
// gives five at once), few enough to bound memory (at most 4 x 512 KiB raw
// waiting, and as many spare buffers). At the full workload, cohort 100,000:
// 2 made a full run 25% slower (the simulation waited), 8 was no faster than
// 4 and peaked 5 MiB higher; 16 held 12 MiB more at the end of a run.
constexpr std::size_t kMaxQueuedChunks = 4;

class StreamColumn;

// One whole chunk of one column, raw, on its way to the file.
struct ChunkJob {
  StreamColumn* column = nullptr;
  std::vector<unsigned char> raw;  // a whole chunk (the last one padded with zeros)
  hsize_t elements = 0;            // how many of them are real
};

// Compresses chunks on a thread of its own and writes them in the order they
// were submitted, so the run simulates while the previous chunks are deflated.
// Once the simulation is over (help_from_now(): /persons, written after it,
// and drain()) the run's thread compresses queued chunks too instead of
// waiting, so both cores deflate the end of a full run. Not before: while the
// run simulates the thread keeps up on its own, and a full queue is only a
// burst (a census period, a flush of /events) that it clears in a moment; a
// simulating thread that helped then slowed the simulation by as much as it
// saved (bench/README.md). The file's bytes do not depend on the timing: a
// chunk's compressed bytes depend only on its raw bytes, and chunks go into
// the file strictly in submission order, one writer at a time. Raw buffers go back to a free list and are reused, so
// the steady state touches no new memory. Errors are kept and rethrown to the
// run's thread by the next submit() or drain().
class ChunkPipeline {
 public:
  explicit ChunkPipeline(bool background) {
    if (background) thread_ = std::thread([this] { work(); });
  }
  ~ChunkPipeline() { stop(); }
  ChunkPipeline(const ChunkPipeline&) = delete;
  ChunkPipeline& operator=(const ChunkPipeline&) = delete;

  // A raw buffer for the next chunk (reused when one is free).
  std::vector<unsigned char> buffer() {
    std::lock_guard<std::mutex> hold(mutex_);
    if (free_.empty()) return {};
    auto b = std::move(free_.back());
    free_.pop_back();
    return b;
  }

  // Queues a chunk. While the queue is full it waits or, after
  // help_from_now(), compresses queued chunks here.
  void submit(ChunkJob job) {
    if (!thread_.joinable()) {  // compress here, on the run's thread
      encode(made(own_encoder_), job, own_stored_);
      write(job, own_stored_);
      recycle(std::move(job.raw), {});
      return;
    }
    std::unique_lock<std::mutex> hold(mutex_);
    while (queue_.size() - taken_ >= kMaxQueuedChunks && !error_)  // chunks nobody has taken yet
      if (!helping_ || !compress_one(hold, made(own_encoder_))) space_.wait(hold);
    rethrow(hold);
    queue_.push_back(Slot{std::move(job), {}, false});
    ++unfinished_;
    work_.notify_one();
  }

  // From now on submit() compresses queued chunks rather than wait for space.
  void help_from_now() {
    std::lock_guard<std::mutex> hold(mutex_);
    helping_ = true;
  }

  // Waits until every submitted chunk is in the file, compressing queued
  // chunks meanwhile; rethrows the first error.
  void drain() {
    std::unique_lock<std::mutex> hold(mutex_);
    while (unfinished_ > 0 && !error_)
      if (!compress_one(hold, made(own_encoder_))) idle_.wait(hold);
    rethrow(hold);
  }

  // Ends the thread; chunks not yet written are dropped (the run was abandoned).
  void stop() {
    {
      std::unique_lock<std::mutex> hold(mutex_);
      stopping_ = true;
      // A chunk being compressed is still referenced by its compressor:
      // wait for it, then drop the lot.
      idle_.wait(hold, [&] { return compressing_ == 0 && !writing_; });
      queue_.clear();
      taken_ = 0;
    }
    work_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

 private:
  // A submitted chunk: raw until a compressor takes it, then compressed.
  struct Slot {
    ChunkJob job;
    std::vector<unsigned char> stored;  // compressed bytes, once `compressed`
    bool compressed = false;
  };

  void rethrow(std::unique_lock<std::mutex>& hold) {
    if (!error_) return;
    const auto e = error_;
    hold.unlock();
    std::rethrow_exception(e);
  }
  void work();
  bool compress_one(std::unique_lock<std::mutex>& hold, ChunkEncoder& encoder);
  void write_ready(std::unique_lock<std::mutex>& hold);
  static void encode(ChunkEncoder& encoder, const ChunkJob& job, std::vector<unsigned char>& stored);
  static void write(const ChunkJob& job, const std::vector<unsigned char>& stored);
  void recycle(std::vector<unsigned char> raw, std::vector<unsigned char> stored) {
    std::lock_guard<std::mutex> hold(mutex_);
    raw.clear();
    if (free_.size() < kMaxQueuedChunks + 2) free_.push_back(std::move(raw));
    if (stored.capacity() > 0 && free_stored_.size() < 2) free_stored_.push_back(std::move(stored));  // one per compressor
  }

  std::mutex mutex_;
  std::condition_variable work_, space_, idle_;
  // Submitted, not yet written, in submission order. The first taken_ have
  // been taken by a compressor (compressing or compressed); only the front
  // is ever written. std::deque keeps references to the others valid across
  // push_back and pop_front, so a compressor works on its slot unlocked.
  std::deque<Slot> queue_;
  std::size_t taken_ = 0;
  std::size_t compressing_ = 0;  // slots being compressed right now
  bool writing_ = false;         // a thread is writing the front slots
  bool helping_ = false;         // submit() compresses while the queue is full
  std::vector<std::vector<unsigned char>> free_, free_stored_;
  std::size_t unfinished_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
  // Made on first use (each holds a compressor and a shuffle buffer, ~1 MB):
  // the run's thread needs one only once it helps or when there is no
  // background thread, which then needs none.
  static ChunkEncoder& made(std::unique_ptr<ChunkEncoder>& e) {
    if (!e) e = std::make_unique<ChunkEncoder>();
    return *e;
  }
  std::unique_ptr<ChunkEncoder> thread_encoder_;  // the background thread's
  std::unique_ptr<ChunkEncoder> own_encoder_;     // the run's thread's (submit, drain)
  std::vector<unsigned char> own_stored_; // compressed bytes when there is no background thread
  std::thread thread_;                    // last: starts once everything above exists
};

// An extendible 1-D column written a whole compressed chunk at a time
// (H5Dwrite_chunk). stage() only copies values; whole chunks go to the
// pipeline, whose thread compresses them without the library lock and
// write_chunk()s them under it.
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

  // Adds values; every whole chunk goes to `pipeline`.
  void stage(const model::ColumnData& values, ChunkPipeline& pipeline) {
    std::visit(
        [&](const auto& v) {
          const auto* bytes = reinterpret_cast<const unsigned char*>(v.data());
          std::size_t left = v.size() * element_;
          const std::size_t chunk_bytes = kChunk * element_;
          while (left > 0) {
            const std::size_t take = std::min(left, chunk_bytes - pending_.size());
            // Grow with the rows, never past a chunk: a table of a few rows a
            // period (census, flows, pools) then holds kilobytes, not a whole
            // 512 KiB chunk per column until the file closes.
            if (pending_.capacity() < pending_.size() + take)
              pending_.reserve(std::min(chunk_bytes, std::max(2 * pending_.capacity(), pending_.size() + take)));
            pending_.insert(pending_.end(), bytes, bytes + take);
            bytes += take;
            left -= take;
            if (pending_.size() == chunk_bytes) send(pipeline, kChunk);
          }
        },
        values);
  }

  // The partial last chunk, padded (readers see only the extent).
  void stage_last(ChunkPipeline& pipeline) {
    if (pending_.empty()) return;
    const std::size_t n = pending_.size() / element_;
    pending_.resize(kChunk * element_, 0);
    send(pipeline, n);
  }

  // The pipeline's thread, holding the lock.
  void write_chunk(const std::vector<unsigned char>& bytes, hsize_t elements) {
    const hsize_t offset = size_, new_size = size_ + elements;
    errno = 0;
    h5::check_io(H5Dset_extent(dset_.get(), &new_size), "extend a dataset");
    errno = 0;
    h5::check_io(H5Dwrite_chunk(dset_.get(), H5P_DEFAULT, 0, &offset, bytes.size(), bytes.data()), "write a chunk");
    size_ = new_size;
  }

  [[nodiscard]] std::size_t element() const noexcept { return element_; }
  [[nodiscard]] bool shuffle() const noexcept { return shuffle_; }

  void close() { dset_.reset(); }

 private:
  void send(ChunkPipeline& pipeline, hsize_t elements) {
    ChunkJob job{this, std::move(pending_), elements};
    pending_ = pipeline.buffer();
    pending_.clear();
    pipeline.submit(std::move(job));
  }

  h5::Handle dset_;
  hsize_t size_ = 0;
  std::size_t element_;
  bool shuffle_;
  std::vector<unsigned char> pending_;
};

void ChunkPipeline::encode(ChunkEncoder& encoder, const ChunkJob& job, std::vector<unsigned char>& stored) {
  encoder.encode(job.raw.data(), job.raw.size(), job.column->element(), job.column->shuffle(), stored);
}

void ChunkPipeline::write(const ChunkJob& job, const std::vector<unsigned char>& stored) {
  const auto lock = h5::lock();
  job.column->write_chunk(stored, job.elements);
}

// Takes the oldest chunk nobody has taken, compresses it unlocked, then
// writes whatever is ready at the front. False when there was none to take.
bool ChunkPipeline::compress_one(std::unique_lock<std::mutex>& hold, ChunkEncoder& encoder) {
  if (taken_ == queue_.size() || stopping_) return false;
  Slot& slot = queue_[taken_++];
  ++compressing_;
  // A buffer for the compressed bytes only now: chunks that wait hold none.
  if (!free_stored_.empty()) {
    slot.stored = std::move(free_stored_.back());
    free_stored_.pop_back();
  }
  const bool failed = error_ != nullptr;  // after a failure the file is abandoned: compress nothing more
  hold.unlock();
  std::exception_ptr error;
  if (!failed) {
    try {
      encode(encoder, slot.job, slot.stored);
    } catch (...) {
      error = std::current_exception();
    }
  }
  hold.lock();
  --compressing_;
  slot.compressed = true;
  if (error && !error_) error_ = error;
  write_ready(hold);
  return true;
}

// Writes the front slots while they are compressed, in order; one thread at
// a time (another that finds a writer at work leaves its slot to it).
void ChunkPipeline::write_ready(std::unique_lock<std::mutex>& hold) {
  if (writing_) return;
  writing_ = true;
  while (!queue_.empty() && queue_.front().compressed) {
    Slot slot = std::move(queue_.front());
    queue_.pop_front();
    --taken_;
    const bool failed = error_ != nullptr;
    hold.unlock();
    std::exception_ptr error;
    if (!failed) {
      try {
        write(slot.job, slot.stored);
      } catch (...) {
        error = std::current_exception();
      }
    }
    recycle(std::move(slot.job.raw), std::move(slot.stored));
    hold.lock();
    if (error && !error_) error_ = error;
    --unfinished_;
    space_.notify_all();
  }
  writing_ = false;
  idle_.notify_all();
}

void ChunkPipeline::work() {
  std::unique_lock<std::mutex> hold(mutex_);
  for (;;) {
    work_.wait(hold, [&] { return stopping_ || taken_ < queue_.size(); });
    if (stopping_) return;
    compress_one(hold, made(thread_encoder_));
  }
}

// A table: a group of equal-length columns, as the schema declares them.
struct StreamTable {
  const model::TableSchema* schema = nullptr;
  h5::Handle group;
  std::vector<StreamColumn> columns;
};

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
  std::unique_ptr<ChunkPipeline> pipeline;  // from begin() on
  std::optional<std::pair<std::vector<std::string>, std::vector<double>>> indicators;  // keep_indicators

  void close_all() {
    for (auto& [id, t] : tables) {
      for (auto& c : t.columns) c.close();
      t.group.reset();
    }
    tables.clear();
  }
};

Hdf5RunWriter::Hdf5RunWriter(std::string final_path, bool compress_in_background)
    : impl_(std::make_unique<Impl>()), final_path_(std::move(final_path)), background_(compress_in_background) {
  impl_->partial = partial_path(final_path_);
}

Hdf5RunWriter::~Hdf5RunWriter() {
  if (!impl_ || impl_->finished) return;
  impl_->pipeline.reset();  // stops its thread before the columns go
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

void Hdf5RunWriter::keep_indicators(std::vector<std::string> names, std::vector<double> values) {
  impl_->indicators.emplace(std::move(names), std::move(values));
}

void Hdf5RunWriter::begin_file(const model::RunHeader& h) {
  if (!h.spec || !h.schema) throw OutputError("a run header needs its scenario and schema");
  Impl& m = *impl_;
  m.header = h;
  m.pipeline = std::make_unique<ChunkPipeline>(background_);
  const auto lock = h5::lock();
  m.file = h5::create_file(m.partial);
  const hid_t root = m.file.get();
  write_header(root, h);
  // /dictionary in the order run_dictionaries gives (the bytes depend on it).
  write_dictionaries(h5::create_group(root, "dictionary").get(), *h.spec);
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
  // /persons is written once the simulation is over (docs/OUTPUT.md): from
  // then on the run's thread has nothing better to do than compress.
  if (rows.table() == model::TableId::persons) m.pipeline->help_from_now();
  for (std::size_t i = 0; i < t.columns.size(); ++i) t.columns[i].stage(rows.column(i), *m.pipeline);
}

void Hdf5RunWriter::finish_file() {
  Impl& m = *impl_;
  for (auto& [id, t] : m.tables)
    for (auto& c : t.columns) c.stage_last(*m.pipeline);
  m.pipeline->drain();
  m.pipeline.reset();
  {
    const auto lock = h5::lock();
    if (m.indicators) {
      auto g = h5::create_group(m.file.get(), "indicators");
      h5::write_column(g.get(), "name", m.indicators->first);
      h5::write_column(g.get(), "value", m.indicators->second);
    }
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
