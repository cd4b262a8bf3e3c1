#include "sim/model/memory_sink.hpp"

namespace tsim::model {

bool writes(RecordLevel level, TableId table) {
  switch (table) {
    case TableId::events: return level == RecordLevel::full;
    case TableId::persons: return level != RecordLevel::summary;
    default: return true;
  }
}

void MemorySink::begin(const RunHeader& header) {
  if (!header.schema) throw SchemaError("a run header needs its schema");
  header_ = header;
  tables_.clear();
  for (TableId id : kAllTables) tables_.emplace_back(header_.schema->table(id));
}

void MemorySink::append(const TableBatch& rows) {
  if (tables_.empty()) throw SchemaError("rows appended before begin()");
  tables_[static_cast<std::size_t>(rows.table())].append(rows);
}

const TableBatch& MemorySink::table(TableId table) const {
  if (tables_.empty()) throw SchemaError("a memory sink has no tables before begin()");
  return tables_[static_cast<std::size_t>(table)];
}

}  // namespace tsim::model
