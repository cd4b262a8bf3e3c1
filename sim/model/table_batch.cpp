#include "sim/model/table_batch.hpp"

#include <fmt/format.h>

namespace tsim::model {

TableBatch::TableBatch(const TableSchema& schema) : schema_(&schema) {
  columns_.reserve(schema.columns().size());
  for (const auto& c : schema.columns()) {
    if (c.type == ColumnType::int32) columns_.emplace_back(std::vector<std::int32_t>{});
    else columns_.emplace_back(std::vector<double>{});
  }
}

namespace {
std::size_t length(const ColumnData& c) {
  return std::visit([](const auto& v) { return v.size(); }, c);
}
}  // namespace

std::size_t TableBatch::size() const noexcept { return columns_.empty() ? 0 : length(columns_.front()); }

bool TableBatch::consistent() const noexcept {
  for (const auto& c : columns_)
    if (length(c) != size()) return false;
  return true;
}

void TableBatch::clear() noexcept {
  for (auto& c : columns_) std::visit([](auto& v) { v.clear(); }, c);
}

void TableBatch::reserve(std::size_t rows) {
  for (auto& c : columns_) std::visit([&](auto& v) { v.reserve(rows); }, c);
}

void TableBatch::resize(std::size_t rows) {
  for (auto& c : columns_) std::visit([rows](auto& v) { v.resize(rows); }, c);
}

void TableBatch::append(const TableBatch& other) {
  if (!(*schema_ == *other.schema_))
    throw SchemaError(fmt::format("cannot append rows of another schema to table '{}'", schema_->name()));
  if (!consistent() || !other.consistent())
    throw SchemaError(fmt::format("table '{}' has columns of different lengths", schema_->name()));
  for (std::size_t i = 0; i < columns_.size(); ++i)
    std::visit(
        [&](auto& to) {
          const auto& from = std::get<std::decay_t<decltype(to)>>(other.columns_[i]);
          to.insert(to.end(), from.begin(), from.end());
        },
        columns_[i]);
}

bool operator==(const TableBatch& a, const TableBatch& b) {
  // NaN == NaN here: two runs that both leave a value undefined agree.
  if (!(*a.schema_ == *b.schema_) || a.columns_.size() != b.columns_.size()) return false;
  for (std::size_t i = 0; i < a.columns_.size(); ++i) {
    if (const auto* x = std::get_if<std::vector<double>>(&a.columns_[i])) {
      const auto& y = std::get<std::vector<double>>(b.columns_[i]);
      if (x->size() != y.size()) return false;
      for (std::size_t k = 0; k < x->size(); ++k)
        if (!((*x)[k] == y[k] || ((*x)[k] != (*x)[k] && y[k] != y[k]))) return false;
    } else if (a.columns_[i] != b.columns_[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace tsim::model
