#include "python/src/columns.hpp"

#include <cstring>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <stdexcept>

namespace py = pybind11;

namespace tsim::python {

namespace {

template <class V>
py::array_t<V> concatenated(const std::vector<const model::TableBatch*>& parts, std::size_t column,
                            std::size_t rows) {
  py::array_t<V> out(static_cast<py::ssize_t>(rows));
  V* at = out.mutable_data();
  for (const model::TableBatch* part : parts) {
    const auto& values = std::get<std::vector<V>>(part->column(column));
    if (!values.empty()) std::memcpy(at, values.data(), values.size() * sizeof(V));
    at += values.size();
  }
  return out;
}

template <class T, class F>
std::vector<std::string> names_of(const std::vector<T>& items, F name) {
  std::vector<std::string> out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(name(item));
  return out;
}

}  // namespace

std::vector<std::string> dictionary_labels(const model::ScenarioSpec& spec, model::ColumnRole role,
                                           const std::string& column) {
  switch (role) {
    case model::ColumnRole::state: return names_of(spec.states, [](const auto& s) { return s.name; });
    case model::ColumnRole::event: return spec.events;
    case model::ColumnRole::route: return names_of(spec.routes, [](const auto& r) { return r.name; });
    case model::ColumnRole::pool: return names_of(spec.pools, [](const auto& p) { return p.name; });
    case model::ColumnRole::attribute:
      for (const auto& a : spec.attributes)
        if (a.name == column) return a.levels;
      throw std::logic_error("column '" + column + "' names no attribute of the scenario");
    default: throw std::logic_error("column '" + column + "' has no dictionary");
  }
}

py::dict dictionaries(const model::ScenarioSpec& spec, const model::RunSchema& schema) {
  py::dict out;
  for (model::TableId id : model::kAllTables)
    for (const auto& c : schema.table(id).columns()) {
      const std::string path = model::dictionary_of(c.role, c.name);
      if (path.empty() || out.contains(path)) continue;
      out[py::str(path)] = py::cast(dictionary_labels(spec, c.role, c.name));
    }
  return out;
}

py::list table_columns(const model::TableSchema& schema, const std::vector<const model::TableBatch*>& parts,
                       const std::vector<std::int32_t>& replications) {
  if (parts.size() != replications.size()) throw std::logic_error("table_columns: one replication number per part");
  std::size_t rows = 0;
  for (const model::TableBatch* part : parts) rows += part->size();
  py::array_t<std::int32_t> replication(static_cast<py::ssize_t>(rows));
  std::int32_t* at = replication.mutable_data();
  for (std::size_t i = 0; i < parts.size(); ++i) at = std::fill_n(at, parts[i]->size(), replications[i]);
  py::list out;
  out.append(py::make_tuple("replication", "replication", "", replication));
  const auto& columns = schema.columns();
  for (std::size_t c = 0; c < columns.size(); ++c) {
    py::object values = columns[c].type == model::ColumnType::int32
                            ? py::object(concatenated<std::int32_t>(parts, c, rows))
                            : py::object(concatenated<double>(parts, c, rows));
    out.append(py::make_tuple(columns[c].name, model::to_string(columns[c].role),
                              model::dictionary_of(columns[c].role, columns[c].name), values));
  }
  return out;
}

py::dict states_columns(const model::ScenarioSpec& spec) {
  const std::size_t n = spec.states.size();
  py::array_t<std::int32_t> code(static_cast<py::ssize_t>(n)), band(static_cast<py::ssize_t>(n));
  py::list name, profession, kind;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& s = spec.states[i];
    code.mutable_at(i) = static_cast<std::int32_t>(i);
    band.mutable_at(i) = static_cast<std::int32_t>(s.band);
    name.append(s.name);
    profession.append(s.profession);
    kind.append(model::to_string(s.kind));
  }
  py::dict out;
  out["code"] = code;
  out["name"] = name;
  out["profession"] = profession;
  out["kind"] = kind;
  out["band"] = band;
  return out;
}

}  // namespace tsim::python
