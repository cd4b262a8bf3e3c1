// Rows of one output table, held column by column, in the table's schema.
// The model fills batches and hands them to a sink (sink.hpp); the memory
// sink keeps appending them; the HDF5 writer streams them into datasets.
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

#include "sim/model/schema.hpp"

namespace tsim::model {

using ColumnData = std::variant<std::vector<std::int32_t>, std::vector<double>>;

class TableBatch {
 public:
  /// Empty columns for every column of `schema`, which must outlive the batch.
  explicit TableBatch(const TableSchema& schema);

  [[nodiscard]] const TableSchema& schema() const noexcept { return *schema_; }
  [[nodiscard]] TableId table() const noexcept { return schema_->id(); }

  /// A fixed column, typed.
  template <class V>
  [[nodiscard]] std::vector<V>& operator[](Col<V> c) {
    return std::get<std::vector<V>>(columns_[c.index]);
  }
  template <class V>
  [[nodiscard]] const std::vector<V>& operator[](Col<V> c) const {
    return std::get<std::vector<V>>(columns_[c.index]);
  }
  /// Any int32 column by position (attribute columns follow the fixed ones).
  [[nodiscard]] std::vector<std::int32_t>& codes(std::size_t index) {
    return std::get<std::vector<std::int32_t>>(columns_.at(index));
  }
  [[nodiscard]] const std::vector<std::int32_t>& codes(std::size_t index) const {
    return std::get<std::vector<std::int32_t>>(columns_.at(index));
  }
  [[nodiscard]] const ColumnData& column(std::size_t index) const { return columns_.at(index); }
  [[nodiscard]] std::size_t column_count() const noexcept { return columns_.size(); }

  /// Rows. Requires consistent(): every column as long as the first.
  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  [[nodiscard]] bool consistent() const noexcept;
  /// Empties every column, keeping their memory for the next rows.
  void clear() noexcept;
  /// Room for `rows` rows in every column.
  void reserve(std::size_t rows);
  /// Every column `rows` long: cut, or grown with zeros. Within the capacity
  /// the columns keep their memory (pointers to their data stay valid).
  void resize(std::size_t rows);
  /// Appends another batch's rows. Throws SchemaError if its columns differ
  /// or either batch has columns of different lengths.
  void append(const TableBatch& other);

  friend bool operator==(const TableBatch& a, const TableBatch& b);

 private:
  const TableSchema* schema_;
  std::vector<ColumnData> columns_;
};

}  // namespace tsim::model
