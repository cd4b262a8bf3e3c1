// The /persons rows of people who have left, held compressed until /persons
// is written (RunOptions::reuse_slots, `--lean-memory`).
//
// /persons is written at the end in person_id order, so every row must wait
// until then; but a leaver's row is final the day they leave. Without this
// store the rows of everyone ever created stay in memory at 80 bytes each
// (800 MB of the reference workload at cohort 1,000,000, most of its peak).
// Here leavers' rows gather in an open buffer; when it is full it is sorted
// by id and deflated in blocks (a "run"). Reading merges the runs and the
// open buffer by id, inflating one block per run at a time. The bytes read
// back are the bytes added: the rows written to /persons do not change.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <queue>
#include <utility>
#include <vector>

#include "sim/model/person_record.hpp"

namespace tsim::model {

class LeaverRows {
 public:
  /// Rows per run (sorted and deflated together) and per block (inflated
  /// together when read back). A row is 84 bytes plus one per attribute:
  /// the open buffer holds run_rows of them while the run goes on (1.4 MB;
  /// 65,536 rows cost the reference workload 6 MB more peak at cohort
  /// 100,000), reading holds one block per run once the loop's memory is
  /// freed (260 runs, 23 MB, at cohort 1,000,000).
  static constexpr std::size_t kRunRows = 16384;
  static constexpr std::size_t kBlockRows = 1024;

  explicit LeaverRows(std::size_t attributes, std::size_t run_rows = kRunRows, std::size_t block_rows = kBlockRows);
  ~LeaverRows();
  LeaverRows(LeaverRows&&) noexcept;
  LeaverRows& operator=(LeaverRows&&) noexcept;
  LeaverRows(const LeaverRows&) = delete;
  LeaverRows& operator=(const LeaverRows&) = delete;

  /// Keeps person `id`'s final row and their attribute levels (one per
  /// attribute). Each id at most once.
  void add(std::uint32_t id, const PersonRecord& row, const std::uint8_t* levels);
  /// Rows kept.
  [[nodiscard]] std::size_t size() const noexcept { return sealed_rows_ + open_rows(); }
  /// Bytes held: the deflated runs and the open buffer (capacity).
  [[nodiscard]] std::size_t bytes() const noexcept;

  /// The rows in ascending id order, one at a time.
  class Reader {
   public:
    explicit Reader(const LeaverRows& rows);
    ~Reader();
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    /// Moves to the next row; false once every row has been read.
    bool next();
    [[nodiscard]] std::uint32_t id() const noexcept { return id_; }
    [[nodiscard]] const PersonRecord& row() const noexcept { return row_; }
    [[nodiscard]] const std::uint8_t* levels() const noexcept { return levels_; }

   private:
    struct Cursor;
    const LeaverRows& rows_;
    std::vector<Cursor> cursors_;  // one per run, the open buffer's (sorted) last
    // (next id, cursor) of every cursor not at its end, smallest id on top.
    std::priority_queue<std::pair<std::uint32_t, std::size_t>, std::vector<std::pair<std::uint32_t, std::size_t>>,
                        std::greater<>>
        heap_;
    std::size_t current_ = kNone;  // the cursor whose row was read last
    std::uint32_t id_ = 0;
    PersonRecord row_;
    const std::uint8_t* levels_ = nullptr;
    struct Inflater;
    std::unique_ptr<Inflater> inflater_;
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    /// Inflates block `block` of the cursor's run into its rows (none past the last).
    void load(std::size_t cursor, std::size_t block);
    /// Moves the cursor to its next row, inflating the run's next block when needed.
    void advance(std::size_t cursor);
  };

 private:
  struct Run {
    std::vector<unsigned char> bytes;      // the blocks, deflated, one after another
    std::vector<std::size_t> block_ends;   // offset in bytes after each block
    std::size_t rows = 0;
  };
  struct Deflater;

  std::size_t attrs_;
  std::size_t width_;       // bytes per row: id, PersonRecord, levels
  std::size_t run_rows_;
  std::size_t block_rows_;
  std::vector<unsigned char> open_;   // rows not yet in a run, in the order they left
  std::vector<Run> runs_;
  std::size_t sealed_rows_ = 0;
  std::unique_ptr<Deflater> deflater_;  // made at the first run

  [[nodiscard]] std::size_t open_rows() const noexcept { return open_.size() / width_; }
  /// The open buffer's row numbers in ascending id order.
  void sort_open(std::vector<std::uint32_t>& order) const;
  /// Sorts the open buffer by id and deflates it as a new run.
  void seal();
};

}  // namespace tsim::model
