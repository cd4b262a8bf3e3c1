#include "output/run_file_verify.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <variant>

#include "output/atomic_file.hpp"
#include "output/chunk_codec.hpp"
#include "output/run_dictionaries.hpp"
#include "sim/core/calendar.hpp"
#include "sim/core/sha256.hpp"
#include "sim/model/schema.hpp"
#include "sim/model/sink.hpp"

namespace tsim::output::detail {

namespace {

static_assert(std::endian::native == std::endian::little, "run files are little-endian; decoding copies bytes as they are");

constexpr hsize_t kMaxChunkElements = hsize_t{1} << 20;  // the writer uses 64 Ki; more is not ours

// The values a code column may hold, inclusive.
struct Range {
  std::int64_t low, high;
  const char* what;  // for the message
};

// The dictionaries' sizes by path ("/dictionary/states" -> 8), as the scenario defines them.
using DictionarySizes = std::map<std::string, std::int64_t>;

bool same_values(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}
template <class V>
bool same_values(const std::vector<V>& a, const std::vector<V>& b) {
  return a == b;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// The names `found` lacks or has in excess of `wanted`, for a message.
std::string difference(const std::vector<std::string>& found, const std::vector<std::string>& wanted) {
  for (const auto& w : wanted)
    if (std::find(found.begin(), found.end(), w) == found.end()) return fmt::format("no '{}'", w);
  for (const auto& f : found)
    if (std::find(wanted.begin(), wanted.end(), f) == wanted.end()) return fmt::format("unexpected '{}'", printable(f));
  return "";
}

void expect_members(hid_t group, const std::string& path, std::vector<std::string> wanted) {
  const auto found = h5::member_names(group);
  wanted = sorted(std::move(wanted));
  if (found != wanted) throw OutputError(fmt::format("{}: {}", path, difference(found, wanted)));
}

// Compares one dictionary table with the scenario's; returns its size. Caller holds the lock.
std::int64_t check_dictionary(hid_t f, const Dictionary& d) {
  const std::string path = "/dictionary/" + d.group;
  if (!h5::exists(f, path)) throw OutputError(fmt::format("no dictionary {}", path));
  std::vector<std::string> names;
  for (const auto& c : d.columns) names.push_back(c.name);
  h5::Handle g(H5Gopen2(f, path.c_str(), H5P_DEFAULT), H5Gclose, "open a dictionary");
  expect_members(g.get(), path, names);
  for (const auto& c : d.columns) {
    const std::string column = path + "/" + c.name;
    const bool same = std::visit(
        [&](const auto& want) {
          using V = typename std::decay_t<decltype(want)>::value_type;
          if constexpr (std::is_same_v<V, std::int32_t>) return same_values(h5::read_int32_column(f, column), want);
          else if constexpr (std::is_same_v<V, double>) return same_values(h5::read_double_column(f, column), want);
          else return same_values(h5::read_string_column(f, column), want);
        },
        c.values);
    if (!same) throw OutputError(fmt::format("{} differs from the scenario's", column));
  }
  return static_cast<std::int64_t>(std::visit([](const auto& v) { return v.size(); }, d.columns.front().values));
}

// Compares /dictionary with the scenario's; returns each dictionary's size by path. Caller holds the lock.
DictionarySizes check_dictionaries(hid_t f, const model::ScenarioSpec& spec) {
  DictionarySizes sizes;
  const std::string prefix = kAttributeDictionaries;
  std::vector<std::string> top{"attributes"}, attributes;
  for (const auto& d : run_dictionaries(spec)) {
    if (d.group.rfind(prefix, 0) == 0)
      attributes.push_back(d.group.substr(prefix.size()));
    else
      top.push_back(d.group);
    sizes["/dictionary/" + d.group] = check_dictionary(f, d);
  }
  h5::Handle dict(H5Gopen2(f, "/dictionary", H5P_DEFAULT), H5Gclose, "open /dictionary");
  expect_members(dict.get(), "/dictionary", top);
  h5::Handle attrs(H5Gopen2(f, "/dictionary/attributes", H5P_DEFAULT), H5Gclose, "open /dictionary/attributes");
  expect_members(attrs.get(), "/dictionary/attributes", attributes);
  return sizes;
}

// The range of a code column's values, or nullopt for a column of numbers.
std::optional<Range> range_of(const model::ColumnSpec& c, const DictionarySizes& sizes, std::size_t periods) {
  using R = model::ColumnRole;
  const auto dictionary = model::dictionary_of(c.role, c.name);
  const std::int64_t n = dictionary.empty() ? 0 : sizes.at(dictionary);
  switch (c.role) {
    case R::state:
    case R::route: return Range{-1, n - 1, "code"};  // -1: none / the initial stock
    case R::event:
    case R::pool:
    case R::attribute: return Range{0, n - 1, "code"};
    case R::flag: return Range{0, 1, "flag"};
    case R::period: return Range{0, static_cast<std::int64_t>(periods) - 1, "period"};
    case R::person: return Range{0, INT32_MAX, "person_id"};
    default: return std::nullopt;
  }
}

std::string range_text(const Range& r, const model::ColumnSpec& c) {
  const auto dictionary = model::dictionary_of(c.role, c.name);
  if (!dictionary.empty()) return fmt::format("not a code of {} ({}..{})", dictionary, r.low, r.high);
  if (c.role == model::ColumnRole::period) return fmt::format("outside the scenario's periods 0..{}", r.high);
  if (c.role == model::ColumnRole::person) return "negative";
  return fmt::format("not {} or {}", r.low, r.high);
}

// One column as stored: its layout and chunks, read under the lock.
struct StoredColumn {
  std::string path;
  h5::ColumnStorage storage;
  std::vector<h5::StoredChunk> chunks;
};

// Checks a column's type, attributes and layout against the schema. Caller holds the lock.
h5::ColumnStorage check_column(hid_t ds, const std::string& path, const model::ColumnSpec& c) {
  const auto s = h5::column_storage(ds);
  const bool int32 = c.type == model::ColumnType::int32;
  if (s.type_class != (int32 ? H5T_INTEGER : H5T_FLOAT) || s.element != (int32 ? 4u : 8u) || !s.little_endian)
    throw OutputError(fmt::format("{} is not {}", path, int32 ? "int32" : "float64"));
  std::string role, dictionary;
  if (!h5::read_attribute(ds, "role", role)) throw OutputError(fmt::format("{} has no role attribute", path));
  if (role != model::to_string(c.role))
    throw OutputError(fmt::format("{} has role '{}', expected '{}'", path, printable(role), model::to_string(c.role)));
  (void)h5::read_attribute(ds, "dictionary", dictionary);
  if (dictionary != model::dictionary_of(c.role, c.name))
    throw OutputError(fmt::format("{} has dictionary '{}', expected '{}'", path, printable(dictionary),
                                  model::dictionary_of(c.role, c.name)));
  if (s.chunk > kMaxChunkElements) throw OutputError(fmt::format("{} has chunks of {} elements", path, s.chunk));
  for (const auto id : s.filters)
    if (id != H5Z_FILTER_SHUFFLE && id != H5Z_FILTER_DEFLATE)
      throw OutputError(fmt::format("{} uses HDF5 filter {}, which the writer never does", path, id));
  return s;
}

// Reads a column's stored chunks. Takes the lock.
StoredColumn read_column(const OpenRunFile& file, const std::string& path, const model::ColumnSpec& c,
                         hsize_t& rows) {
  const auto lock = h5::lock();
  auto ds = h5::open_dataset(file.get(), path);
  StoredColumn out{path, check_column(ds.get(), path, c), {}};
  if (rows == ~hsize_t{0}) rows = out.storage.rows;
  if (out.storage.rows != rows)
    throw OutputError(fmt::format("{} has {} rows, the table's first column {}", path, out.storage.rows, rows));
  const std::size_t raw = out.storage.chunk * out.storage.element;
  const hsize_t count = (rows + out.storage.chunk - 1) / out.storage.chunk;
  for (hsize_t i = 0; i < count; ++i) {
    try {
      out.chunks.push_back(h5::read_stored_chunk(ds.get(), i, out.storage.chunk, raw + raw / 100 + 64));
    } catch (const OutputError& e) {
      throw OutputError(fmt::format("{}: {}", path, e.what()));
    }
  }
  return out;
}

// Decodes chunk i of a column (no lock needed): the raw element bytes.
std::vector<unsigned char> decode(const StoredColumn& c, std::size_t i) {
  const auto& s = c.storage;
  bool shuffle = false, deflate = false;
  for (std::size_t f = 0; f < s.filters.size(); ++f) {
    const bool applied = (c.chunks[i].filter_mask & (1u << f)) == 0;
    (s.filters[f] == H5Z_FILTER_SHUFFLE ? shuffle : deflate) |= applied;
  }
  try {
    return decode_chunk(c.chunks[i].bytes.data(), c.chunks[i].bytes.size(), s.chunk * s.element, s.element, shuffle,
                        deflate);
  } catch (const OutputError& e) {
    throw OutputError(fmt::format("chunk {} of {} {}", i, c.path, e.what()));
  }
}

// The census columns the summary needs, kept whole while the table is checked.
struct CensusColumns {
  std::vector<std::int32_t> period, state, headcount;
  std::vector<double> end, fte;

  std::vector<std::int32_t>* ints(const std::string& column) {
    return column == "period" ? &period : column == "state" ? &state : column == "headcount" ? &headcount : nullptr;
  }
};

// Decodes every chunk of a column (no lock needed) and checks each value
// against `range`; appends the values to `keep_int` / `keep_double` when given.
void check_values(const StoredColumn& c, const std::optional<Range>& range, const model::ColumnSpec& spec,
                  std::vector<std::int32_t>* keep_int, std::vector<double>* keep_double) {
  const hsize_t chunk = c.storage.chunk, rows = c.storage.rows;
  std::vector<std::int32_t> ints;
  for (std::size_t i = 0; i < c.chunks.size(); ++i) {
    const auto bytes = decode(c, i);
    const hsize_t first = i * chunk, n = std::min(chunk, rows - first);
    if (spec.type == model::ColumnType::float64) {
      if (!keep_double) continue;
      const std::size_t at = keep_double->size();
      keep_double->resize(at + n);
      std::memcpy(keep_double->data() + at, bytes.data(), n * sizeof(double));
      continue;
    }
    ints.resize(n);
    std::memcpy(ints.data(), bytes.data(), n * sizeof(std::int32_t));
    if (range)
      for (hsize_t k = 0; k < n; ++k)
        if (ints[k] < range->low || ints[k] > range->high)
          throw OutputError(fmt::format("{} row {}: {} {} is {}", c.path, first + k, range->what, ints[k],
                                        range_text(*range, spec)));
    if (keep_int) keep_int->insert(keep_int->end(), ints.begin(), ints.end());
  }
}

// The root attributes that date the tables, against the scenario. Caller holds the lock.
void check_calendar(hid_t f, const model::ScenarioSpec& spec) {
  std::string start, unit;
  double horizon = 0;
  if (!h5::read_attribute(f, "start_date", start) || start != core::format_date(spec.start_date))
    throw OutputError(fmt::format("start_date '{}' is not the scenario's", printable(start)));
  if (!h5::read_attribute(f, "horizon_days", horizon) || !(horizon == spec.horizon_days))
    throw OutputError(fmt::format("horizon_days {} is not the scenario's", horizon));
  if (!h5::read_attribute(f, "time_unit", unit) || unit != "day") throw OutputError("time_unit is not 'day'");
}

// The groups at the root, /scenario/resolved against its hash, the
// dictionaries and each table's column names. Caller holds the lock.
DictionarySizes check_layout(hid_t f, const ExpectedRun& expected, const model::RunSchema& schema) {
  std::vector<std::string> root{"dictionary", "scenario"};
  if (expected.indicators) root.emplace_back("indicators");
  for (const auto id : model::kAllTables)
    if (model::writes(expected.record_level, id)) root.emplace_back(model::to_string(id));
  h5::Handle g(H5Gopen2(f, "/", H5P_DEFAULT), H5Gclose, "open the root group");
  expect_members(g.get(), "the file", root);
  if (core::sha256_hex(h5::read_text(f, "/scenario/resolved")) != expected.scenario_sha256)
    throw OutputError("/scenario/resolved does not match scenario_sha256");
  check_calendar(f, *expected.spec);
  auto sizes = check_dictionaries(f, *expected.spec);
  for (const auto id : model::kAllTables) {
    if (!model::writes(expected.record_level, id)) continue;
    const std::string path = std::string("/") + model::to_string(id);
    std::vector<std::string> names;
    for (const auto& c : schema.table(id).columns()) names.push_back(c.name);
    h5::Handle t(H5Gopen2(f, path.c_str(), H5P_DEFAULT), H5Gclose, "open a table");
    expect_members(t.get(), path, names);
  }
  return sizes;
}

}  // namespace

CensusSummary verify_data(const OpenRunFile& file, const ExpectedRun& expected) {
  const model::ScenarioSpec& spec = *expected.spec;
  const auto schema = model::RunSchema::for_scenario(spec);
  const auto ends = core::period_ends(spec.start_date, spec.horizon_days, spec.census.every, spec.census.every_days);
  DictionarySizes sizes;
  {
    const auto lock = h5::lock();
    sizes = check_layout(file.get(), expected, schema);
  }
  CensusColumns census;
  for (const auto id : model::kAllTables) {
    if (!model::writes(expected.record_level, id)) continue;
    hsize_t rows = ~hsize_t{0};
    const bool is_census = id == model::TableId::census;
    for (const auto& c : schema.table(id).columns()) {
      const auto stored = read_column(file, std::string("/") + model::to_string(id) + "/" + c.name, c, rows);
      check_values(stored, range_of(c, sizes, ends.size()), c, is_census ? census.ints(c.name) : nullptr,
                   !is_census                     ? nullptr
                   : c.name == "period_end_day" ? &census.end
                   : c.name == "fte"            ? &census.fte
                                                : nullptr);
    }
  }
  return summarise_census(census.period, census.end, census.state, census.headcount, census.fte, spec.states.size(),
                          &ends);
}

}  // namespace tsim::output::detail
