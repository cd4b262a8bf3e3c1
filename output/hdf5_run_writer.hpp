// The HDF5 backend of the run sink: one file per run, exactly as
// docs/OUTPUT.md lays it out, tables and columns from the header's schema.
// Columnar, chunked (64 Ki elements), deflate with shuffle on integer
// columns, object timestamps off so the same run gives the same bytes.
// Whole chunks are compressed and written on a thread of the writer's own
// while the run goes on (the file's bytes are the same either way).
// Written as <name>.partial and renamed by finish(). All methods throw
// OutputError; a writer destroyed before finish() removes its partial file.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sim/model/sink.hpp"

namespace tsim::output {

class Hdf5RunWriter final : public model::RunSink {
 public:
  /// Will write `final_path` (creating "<final_path>.partial" first).
  /// `compress_in_background`: chunks are compressed and written by a second
  /// thread, overlapped with the run; false does it on the caller's thread.
  explicit Hdf5RunWriter(std::string final_path, bool compress_in_background = true);
  /// A writer destroyed before finish() removes its partial file.
  ~Hdf5RunWriter() override;

  /// Creates the partial file with the header, dictionaries and every
  /// table's columns (each with its `role` and `dictionary` attributes).
  void begin(const model::RunHeader& header) override;
  /// Throws OutputError for a table the record level does not write or rows
  /// that do not match the declared columns.
  void append(const model::TableBatch& rows) override;
  /// Writes the last chunks and `complete` = 1, closes, fsyncs, renames.
  void finish() override;

  /// Asks finish() to write /indicators (columns name and value, one row per
  /// indicator of model::IndicatorSet, docs/OUTPUT.md), what a sweep's index
  /// reads back. Call before finish().
  void keep_indicators(std::vector<std::string> names, std::vector<double> values);

  /// Bytes of the finished file (0 before finish()).
  [[nodiscard]] std::uint64_t bytes_written() const noexcept { return bytes_; }

  struct Impl;

 private:
  void begin_file(const model::RunHeader& header);
  void append_rows(const model::TableBatch& rows);
  void finish_file();

  std::unique_ptr<Impl> impl_;
  std::string final_path_;
  std::uint64_t bytes_ = 0;
  bool background_ = true;
};

}  // namespace tsim::output
