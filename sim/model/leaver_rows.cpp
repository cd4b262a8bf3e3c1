#include "sim/model/leaver_rows.hpp"

#include <libdeflate.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <numeric>
#include <stdexcept>

namespace tsim::model {

namespace {

// Level 1: the rows are deflated on the event loop's thread, once each; the
// level saves little on these bytes (rows of one run, shuffled so that each
// byte of a field sits beside the same byte of the next row's).
constexpr int kLevel = 1;

std::uint32_t id_at(const unsigned char* row) {
  std::uint32_t id = 0;
  std::memcpy(&id, row, sizeof id);
  return id;
}

// Byte j of row i goes to j * n + i: the rows' fields side by side, as HDF5's
// shuffle filter lays out a column (NaN days and small states then repeat).
// The rows are taken in the order `order` gives (row numbers in `rows`),
// gathered first into `gathered` so that the transpose reads a block that
// fits in cache and writes each byte position's stream front to back.
void shuffle(const unsigned char* rows, const std::uint32_t* order, std::size_t n, std::size_t width,
             unsigned char* gathered, unsigned char* out) {
  for (std::size_t i = 0; i < n; ++i) std::memcpy(gathered + i * width, rows + std::size_t{order[i]} * width, width);
  for (std::size_t j = 0; j < width; ++j) {
    unsigned char* to = out + j * n;
    const unsigned char* from = gathered + j;
    for (std::size_t i = 0; i < n; ++i) to[i] = from[i * width];
  }
}

// In tiles of 16 rows: the 16 bytes of one position are one load, and the
// tile's rows (16 x width bytes) stay in the first-level cache while filled.
void unshuffle(const unsigned char* in, std::size_t n, std::size_t width, unsigned char* rows) {
  constexpr std::size_t kTile = 16;
  std::size_t i0 = 0;
  for (; i0 + kTile <= n; i0 += kTile)
    for (std::size_t j = 0; j < width; ++j) {
      const unsigned char* from = in + j * n + i0;
      unsigned char* to = rows + i0 * width + j;
      for (std::size_t i = 0; i < kTile; ++i) to[i * width] = from[i];
    }
  for (std::size_t j = 0; j < width; ++j)
    for (std::size_t i = i0; i < n; ++i) rows[i * width + j] = in[j * n + i];
}

}  // namespace

struct LeaverRows::Deflater {
  libdeflate_compressor* compressor = libdeflate_alloc_compressor(kLevel);
  std::vector<std::uint32_t> order;  // the open buffer's rows by id
  std::vector<unsigned char> gathered, shuffled, stored, block;
  Deflater() {
    if (!compressor) throw std::bad_alloc();
  }
  ~Deflater() { libdeflate_free_compressor(compressor); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
};

LeaverRows::LeaverRows(std::size_t attributes, std::size_t run_rows, std::size_t block_rows)
    : attrs_(attributes),
      width_(sizeof(std::uint32_t) + sizeof(PersonRecord) + attributes),
      run_rows_(std::max<std::size_t>(run_rows, 1)),
      block_rows_(std::clamp<std::size_t>(block_rows, 1, std::max<std::size_t>(run_rows, 1))) {}

LeaverRows::~LeaverRows() = default;
LeaverRows::LeaverRows(LeaverRows&&) noexcept = default;
LeaverRows& LeaverRows::operator=(LeaverRows&&) noexcept = default;

void LeaverRows::add(std::uint32_t id, const PersonRecord& row, const std::uint8_t* levels) {
  if (open_.capacity() == 0) open_.reserve(run_rows_ * width_);
  const std::size_t at = open_.size();
  open_.resize(at + width_);
  unsigned char* out = open_.data() + at;
  std::memcpy(out, &id, sizeof id);
  std::memcpy(out + sizeof id, &row, sizeof row);
  if (attrs_ > 0) std::memcpy(out + sizeof id + sizeof row, levels, attrs_);
  if (open_rows() == run_rows_) seal();
}

std::size_t LeaverRows::bytes() const noexcept {
  std::size_t n = open_.capacity();
  for (const Run& r : runs_) n += r.bytes.capacity() + r.block_ends.capacity() * sizeof(std::size_t);
  return n;
}

void LeaverRows::sort_open(std::vector<std::uint32_t>& order) const {
  const std::size_t count = open_rows();
  order.resize(count);
  std::iota(order.begin(), order.end(), 0u);
  const unsigned char* rows = open_.data();
  const std::size_t w = width_;
  std::sort(order.begin(), order.end(),
            [rows, w](std::uint32_t a, std::uint32_t b) { return id_at(rows + a * w) < id_at(rows + b * w); });
}

void LeaverRows::seal() {
  if (!deflater_) deflater_ = std::make_unique<Deflater>();
  Deflater& d = *deflater_;
  const std::size_t count = open_rows();
  sort_open(d.order);
  Run run;
  run.rows = count;
  d.block.clear();
  d.shuffled.resize(block_rows_ * width_);
  d.gathered.resize(block_rows_ * width_);
  d.stored.resize(libdeflate_deflate_compress_bound(d.compressor, block_rows_ * width_));
  for (std::size_t first = 0; first < count; first += block_rows_) {
    const std::size_t n = std::min(block_rows_, count - first);
    shuffle(open_.data(), d.order.data() + first, n, width_, d.gathered.data(), d.shuffled.data());
    const std::size_t size =
        libdeflate_deflate_compress(d.compressor, d.shuffled.data(), n * width_, d.stored.data(), d.stored.size());
    if (size == 0) throw std::logic_error("deflate of leavers' rows overflowed its bound");
    d.block.insert(d.block.end(), d.stored.begin(), d.stored.begin() + static_cast<std::ptrdiff_t>(size));
    run.block_ends.push_back(d.block.size());
  }
  run.bytes.assign(d.block.begin(), d.block.end());  // exactly sized: the scratch keeps its capacity
  runs_.push_back(std::move(run));
  sealed_rows_ += count;
  open_.clear();
}

// ---- reading back ----

struct LeaverRows::Reader::Inflater {
  libdeflate_decompressor* decompressor = libdeflate_alloc_decompressor();
  std::vector<unsigned char> shuffled;
  Inflater() {
    if (!decompressor) throw std::bad_alloc();
  }
  ~Inflater() { libdeflate_free_decompressor(decompressor); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
};

/// Where one run (or the open buffer) is being read: a run's current block,
/// inflated and unshuffled, or the open buffer's rows in id order; and the
/// row within it.
struct LeaverRows::Reader::Cursor {
  const Run* run = nullptr;                 // null for the open buffer
  std::size_t block = 0;                    // the run's block now in `rows`
  std::size_t row = 0;                      // row within `rows` (or `order`)
  std::vector<unsigned char> rows;          // a run's current block
  std::vector<std::uint32_t> order;         // the open buffer's rows by id
  const unsigned char* open = nullptr;      // the open buffer
  [[nodiscard]] std::size_t count(std::size_t width) const { return run ? rows.size() / width : order.size(); }
  [[nodiscard]] const unsigned char* at(std::size_t width) const {
    return run ? rows.data() + row * width : open + std::size_t{order[row]} * width;
  }
};

LeaverRows::Reader::Reader(const LeaverRows& rows) : rows_(rows), inflater_(std::make_unique<Inflater>()) {
  const std::size_t w = rows_.width_;
  cursors_.resize(rows_.runs_.size() + 1);
  for (std::size_t k = 0; k < rows_.runs_.size(); ++k) {
    cursors_[k].run = &rows_.runs_[k];
    load(k, 0);
  }
  Cursor& open = cursors_.back();
  open.open = rows_.open_.data();
  rows_.sort_open(open.order);
  for (std::size_t k = 0; k < cursors_.size(); ++k)
    if (cursors_[k].row < cursors_[k].count(w)) heap_.emplace(id_at(cursors_[k].at(w)), k);
}

LeaverRows::Reader::~Reader() = default;

void LeaverRows::Reader::advance(std::size_t k) {
  Cursor& c = cursors_[k];
  if (++c.row < c.count(rows_.width_)) return;
  if (c.run != nullptr) load(k, c.block + 1);  // the open buffer is one "block"
}

void LeaverRows::Reader::load(std::size_t k, std::size_t block) {
  Cursor& c = cursors_[k];
  const std::size_t w = rows_.width_;
  c.block = block;
  c.row = 0;
  if (block >= c.run->block_ends.size()) {
    c.rows.clear();
    return;
  }
  const std::size_t begin = block == 0 ? 0 : c.run->block_ends[block - 1];
  const std::size_t end = c.run->block_ends[block];
  const std::size_t n = std::min(rows_.block_rows_, c.run->rows - block * rows_.block_rows_);
  auto& shuffled = inflater_->shuffled;
  shuffled.resize(n * w);
  std::size_t got = 0;
  if (libdeflate_deflate_decompress(inflater_->decompressor, c.run->bytes.data() + begin, end - begin,
                                    shuffled.data(), shuffled.size(), &got) != LIBDEFLATE_SUCCESS ||
      got != shuffled.size())
    throw std::logic_error("leavers' rows do not inflate to what was deflated");
  c.rows.resize(n * w);
  unshuffle(shuffled.data(), n, w, c.rows.data());
}

bool LeaverRows::Reader::next() {
  const std::size_t w = rows_.width_;
  if (current_ != kNone) {
    // The row read last stays readable until now: only then may its cursor move on.
    advance(current_);
    const Cursor& c = cursors_[current_];
    if (c.row < c.count(w)) heap_.emplace(id_at(c.at(w)), current_);
  }
  if (heap_.empty()) {
    current_ = kNone;
    return false;
  }
  current_ = heap_.top().second;
  heap_.pop();
  const unsigned char* at = cursors_[current_].at(w);
  id_ = id_at(at);
  std::memcpy(&row_, at + sizeof(std::uint32_t), sizeof row_);
  levels_ = at + sizeof(std::uint32_t) + sizeof(PersonRecord);
  return true;
}

}  // namespace tsim::model
