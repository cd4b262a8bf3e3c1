#include "sim/model/schema.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "sim/model/spec.hpp"

namespace tsim::model {

const char* to_string(ColumnType t) { return t == ColumnType::int32 ? "int32" : "float64"; }

const char* to_string(ColumnRole r) {
  switch (r) {
    case ColumnRole::value: return "value";
    case ColumnRole::day: return "day";
    case ColumnRole::period: return "period";
    case ColumnRole::person: return "person";
    case ColumnRole::state: return "state";
    case ColumnRole::event: return "event";
    case ColumnRole::route: return "route";
    case ColumnRole::pool: return "pool";
    case ColumnRole::attribute: return "attribute";
    case ColumnRole::flag: return "flag";
  }
  return "value";
}

std::string dictionary_of(ColumnRole role, std::string_view column) {
  switch (role) {
    case ColumnRole::state: return "/dictionary/states";
    case ColumnRole::event: return "/dictionary/events";
    case ColumnRole::route: return "/dictionary/routes";
    case ColumnRole::pool: return "/dictionary/pools";
    case ColumnRole::attribute: return "/dictionary/attributes/" + std::string(column);
    default: return "";
  }
}

const char* to_string(TableId t) {
  switch (t) {
    case TableId::events: return "events";
    case TableId::census: return "census";
    case TableId::flows: return "flows";
    case TableId::pools: return "pools";
    case TableId::persons: return "persons";
  }
  return "?";
}

TableSchema::TableSchema(TableId id, std::vector<ColumnSpec> fixed) : id_(id) {
  for (auto& c : fixed) add(std::move(c));
  fixed_count_ = columns_.size();
}

std::size_t TableSchema::add(ColumnSpec column) {
  if (find(column.name))
    throw SchemaError(fmt::format("table '{}' already has a column '{}'", name(), column.name));
  columns_.push_back(std::move(column));
  return columns_.size() - 1;
}

std::optional<std::size_t> TableSchema::find(std::string_view column) const {
  for (std::size_t i = 0; i < columns_.size(); ++i)
    if (columns_[i].name == column) return i;
  return std::nullopt;
}

bool operator==(const TableSchema& a, const TableSchema& b) {
  if (a.id_ != b.id_ || a.columns_.size() != b.columns_.size()) return false;
  for (std::size_t i = 0; i < a.columns_.size(); ++i) {
    const auto &x = a.columns_[i], &y = b.columns_[i];
    if (x.name != y.name || x.type != y.type || x.role != y.role) return false;
  }
  return true;
}

RunSchema RunSchema::for_scenario(const ScenarioSpec& spec) {
  RunSchema s{TableSchema::from(TableId::events, columns::kEvents), TableSchema::from(TableId::census, columns::kCensus),
              TableSchema::from(TableId::flows, columns::kFlows), TableSchema::from(TableId::pools, columns::kPools),
              TableSchema::from(TableId::persons, columns::kPersons)};
  for (int a : spec.census.by) {
    const bool route = a == kRouteAttribute;
    const ColumnSpec c{route ? "route" : spec.attributes[static_cast<std::size_t>(a)].name, ColumnType::int32,
                       route ? ColumnRole::route : ColumnRole::attribute};
    s.census.add(c);
    s.flows.add(c);
  }
  for (const auto& a : spec.attributes) s.persons.add({a.name, ColumnType::int32, ColumnRole::attribute});
  return s;
}

const TableSchema& RunSchema::table(TableId id) const {
  switch (id) {
    case TableId::events: return events;
    case TableId::census: return census;
    case TableId::flows: return flows;
    case TableId::pools: return pools;
    case TableId::persons: return persons;
  }
  throw SchemaError("unknown table");
}

std::vector<std::string> reserved_column_names() {
  std::vector<std::string> out;
  auto add = [&](const auto& defs) {
    for (const auto& d : defs)
      if (std::find(out.begin(), out.end(), d.name) == out.end()) out.emplace_back(d.name);
  };
  add(columns::kPersons);
  add(columns::kCensus);
  add(columns::kFlows);
  return out;
}

}  // namespace tsim::model
