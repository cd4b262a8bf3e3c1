// A sink that keeps every table in memory, for tests and in-process analysis
// (the Python module hands these tables to pandas).
#pragma once

#include <optional>

#include "sim/model/sink.hpp"

namespace tsim::model {

class MemorySink final : public RunSink {
 public:
  void begin(const RunHeader& header) override;
  void append(const TableBatch& rows) override;
  void finish() override { finished_ = true; }

  [[nodiscard]] const RunHeader& header() const noexcept { return header_; }
  [[nodiscard]] bool finished() const noexcept { return finished_; }
  /// Every row appended to `table` so far. Throws SchemaError before begin().
  [[nodiscard]] const TableBatch& table(TableId table) const;

  [[nodiscard]] const TableBatch& events() const { return table(TableId::events); }
  [[nodiscard]] const TableBatch& census() const { return table(TableId::census); }
  [[nodiscard]] const TableBatch& flows() const { return table(TableId::flows); }
  [[nodiscard]] const TableBatch& pools() const { return table(TableId::pools); }
  [[nodiscard]] const TableBatch& persons() const { return table(TableId::persons); }

 private:
  RunHeader header_;  // holds the schema the tables point into
  std::vector<TableBatch> tables_;  // indexed by TableId
  bool finished_ = false;
};

}  // namespace tsim::model
