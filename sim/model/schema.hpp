// One schema per output table. Each table's fixed columns are listed once,
// below, as ColumnDef arrays; everything else is derived from those lists:
// the typed column handles the model writes through (cols::census::headcount),
// the TableSchema a run declares (fixed columns plus one code column per
// census or person attribute), the memory sink, the HDF5 writer's datasets
// and the `role` and `dictionary` attributes that let the Python and R
// loaders label codes without knowing column names. docs/OUTPUT.md is the
// contract these lists implement.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <string>
#include <string_view>
#include <vector>

namespace tsim::model {

struct ScenarioSpec;

/// Root attribute `schema_version` of run files (docs/OUTPUT.md). 2: every
/// column carries `role` (and `dictionary`) attributes.
inline constexpr std::int32_t kRunSchemaVersion = 2;

enum class ColumnType : std::uint8_t { int32, float64 };

/// What a column's values mean. Readers use it (written into the file as the
/// dataset attribute `role`) to label codes and turn day numbers into dates.
enum class ColumnRole : std::uint8_t {
  value,      // a count, an FTE, a number of days, a rate
  day,        // days since the start date (float64)
  period,     // 0-based census period
  person,     // person_id
  state,      // code into /dictionary/states; -1 = none
  event,      // code into /dictionary/events
  route,      // code into /dictionary/routes; -1 = initial stock
  pool,       // code into /dictionary/pools
  attribute,  // code into /dictionary/attributes/<column name>
  flag,       // 0 or 1
};

[[nodiscard]] const char* to_string(ColumnType t);
[[nodiscard]] const char* to_string(ColumnRole r);
/// The dictionary group a code column's values index ("" for other roles).
[[nodiscard]] std::string dictionary_of(ColumnRole role, std::string_view column);

/// A fixed column, as written in the lists below.
struct ColumnDef {
  std::string_view name;
  ColumnType type;
  ColumnRole role;
};

/// A column of a table; fixed columns come from ColumnDefs, attribute columns
/// are added per scenario.
struct ColumnSpec {
  std::string name;
  ColumnType type = ColumnType::int32;
  ColumnRole role = ColumnRole::value;
};

enum class TableId : std::uint8_t { events, census, flows, pools, persons };
inline constexpr std::array<TableId, 5> kAllTables{TableId::events, TableId::census, TableId::flows, TableId::pools,
                                                   TableId::persons};
/// "events", "census", ...: the table's HDF5 group and DataFrame name.
[[nodiscard]] const char* to_string(TableId t);

// ---- the fixed columns of every table (docs/OUTPUT.md) ----------------------
namespace columns {
using T = ColumnType;
using R = ColumnRole;
inline constexpr std::array<ColumnDef, 5> kEvents{{
    {"day", T::float64, R::day},
    {"person_id", T::int32, R::person},
    {"event", T::int32, R::event},
    {"from_state", T::int32, R::state},
    {"to_state", T::int32, R::state},
}};
// Census and flows add one code column per census attribute after these.
inline constexpr std::array<ColumnDef, 5> kCensus{{
    {"period", T::int32, R::period},
    {"period_end_day", T::float64, R::day},
    {"state", T::int32, R::state},
    {"headcount", T::int32, R::value},
    {"fte", T::float64, R::value},
}};
inline constexpr std::array<ColumnDef, 4> kFlows{{
    {"period", T::int32, R::period},
    {"from_state", T::int32, R::state},
    {"to_state", T::int32, R::state},
    {"count", T::int32, R::value},
}};
inline constexpr std::array<ColumnDef, 10> kPools{{
    {"period", T::int32, R::period},
    {"pool", T::int32, R::pool},
    {"capacity", T::int32, R::value},
    {"in_use", T::int32, R::value},
    {"queue_length", T::int32, R::value},
    {"granted", T::int32, R::value},
    {"mean_wait_days", T::float64, R::value},
    {"max_wait_days", T::float64, R::value},
    {"slot_days_in_use", T::float64, R::value},
    {"slot_days_available", T::float64, R::value},
}};
// Persons add one code column per declared attribute after these.
inline constexpr std::array<ColumnDef, 16> kPersons{{
    {"person_id", T::int32, R::person},
    {"route", T::int32, R::route},
    {"is_initial_stock", T::int32, R::flag},
    {"entry_day", T::float64, R::day},
    {"entry_state", T::int32, R::state},
    {"age_at_entry", T::float64, R::value},
    {"fte", T::float64, R::value},
    {"qualified_day", T::float64, R::day},
    {"qualified_state", T::int32, R::state},
    {"exit_day", T::float64, R::day},
    {"exit_state", T::int32, R::state},
    {"training_day", T::float64, R::day},
    {"training_state", T::int32, R::state},
    {"completed_day", T::float64, R::day},
    {"not_completed_day", T::float64, R::day},
    {"left_after_completing_day", T::float64, R::day},
}};
}  // namespace columns

/// A typed handle on a fixed column: its position in the table.
template <class V>
struct Col {
  std::size_t index;
};

template <class V>
inline constexpr ColumnType kTypeOf = std::is_same_v<V, double> ? ColumnType::float64 : ColumnType::int32;

/// The handle of a fixed column by name; a name that is not in the list, or
/// the wrong value type, fails to compile.
template <class V, std::size_t N>
consteval Col<V> col(const std::array<ColumnDef, N>& defs, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i)
    if (defs[i].name == name) {
      if (defs[i].type != kTypeOf<V>) throw std::logic_error("column type mismatch");
      return Col<V>{i};
    }
  throw std::logic_error("no such column");
}

namespace cols {
namespace events {
inline constexpr auto day = col<double>(columns::kEvents, "day");
inline constexpr auto person_id = col<std::int32_t>(columns::kEvents, "person_id");
inline constexpr auto event = col<std::int32_t>(columns::kEvents, "event");
inline constexpr auto from_state = col<std::int32_t>(columns::kEvents, "from_state");
inline constexpr auto to_state = col<std::int32_t>(columns::kEvents, "to_state");
}  // namespace events
namespace census {
inline constexpr auto period = col<std::int32_t>(columns::kCensus, "period");
inline constexpr auto period_end_day = col<double>(columns::kCensus, "period_end_day");
inline constexpr auto state = col<std::int32_t>(columns::kCensus, "state");
inline constexpr auto headcount = col<std::int32_t>(columns::kCensus, "headcount");
inline constexpr auto fte = col<double>(columns::kCensus, "fte");
}  // namespace census
namespace flows {
inline constexpr auto period = col<std::int32_t>(columns::kFlows, "period");
inline constexpr auto from_state = col<std::int32_t>(columns::kFlows, "from_state");
inline constexpr auto to_state = col<std::int32_t>(columns::kFlows, "to_state");
inline constexpr auto count = col<std::int32_t>(columns::kFlows, "count");
}  // namespace flows
namespace pools {
inline constexpr auto period = col<std::int32_t>(columns::kPools, "period");
inline constexpr auto pool = col<std::int32_t>(columns::kPools, "pool");
inline constexpr auto capacity = col<std::int32_t>(columns::kPools, "capacity");
inline constexpr auto in_use = col<std::int32_t>(columns::kPools, "in_use");
inline constexpr auto queue_length = col<std::int32_t>(columns::kPools, "queue_length");
inline constexpr auto granted = col<std::int32_t>(columns::kPools, "granted");
inline constexpr auto mean_wait_days = col<double>(columns::kPools, "mean_wait_days");
inline constexpr auto max_wait_days = col<double>(columns::kPools, "max_wait_days");
inline constexpr auto slot_days_in_use = col<double>(columns::kPools, "slot_days_in_use");
inline constexpr auto slot_days_available = col<double>(columns::kPools, "slot_days_available");
}  // namespace pools
namespace persons {
inline constexpr auto person_id = col<std::int32_t>(columns::kPersons, "person_id");
inline constexpr auto route = col<std::int32_t>(columns::kPersons, "route");
inline constexpr auto is_initial_stock = col<std::int32_t>(columns::kPersons, "is_initial_stock");
inline constexpr auto entry_day = col<double>(columns::kPersons, "entry_day");
inline constexpr auto entry_state = col<std::int32_t>(columns::kPersons, "entry_state");
inline constexpr auto age_at_entry = col<double>(columns::kPersons, "age_at_entry");
inline constexpr auto fte = col<double>(columns::kPersons, "fte");
inline constexpr auto qualified_day = col<double>(columns::kPersons, "qualified_day");
inline constexpr auto qualified_state = col<std::int32_t>(columns::kPersons, "qualified_state");
inline constexpr auto exit_day = col<double>(columns::kPersons, "exit_day");
inline constexpr auto exit_state = col<std::int32_t>(columns::kPersons, "exit_state");
inline constexpr auto training_day = col<double>(columns::kPersons, "training_day");
inline constexpr auto training_state = col<std::int32_t>(columns::kPersons, "training_state");
inline constexpr auto completed_day = col<double>(columns::kPersons, "completed_day");
inline constexpr auto not_completed_day = col<double>(columns::kPersons, "not_completed_day");
inline constexpr auto left_after_completing_day = col<double>(columns::kPersons, "left_after_completing_day");
}  // namespace persons
}  // namespace cols

/// A column declared twice, or a table misused; a programming error or a
/// name the loader should have rejected.
class SchemaError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// The columns of one table: its fixed columns, then any attribute columns.
class TableSchema {
 public:
  TableSchema(TableId id, std::vector<ColumnSpec> fixed);
  template <std::size_t N>
  static TableSchema from(TableId id, const std::array<ColumnDef, N>& defs) {
    std::vector<ColumnSpec> fixed;
    for (const auto& d : defs) fixed.push_back({std::string(d.name), d.type, d.role});
    return TableSchema(id, std::move(fixed));
  }

  /// Adds a column at the end; returns its index. Throws SchemaError if the
  /// table already has a column of that name.
  std::size_t add(ColumnSpec column);

  [[nodiscard]] TableId id() const noexcept { return id_; }
  [[nodiscard]] const char* name() const noexcept { return to_string(id_); }
  [[nodiscard]] const std::vector<ColumnSpec>& columns() const noexcept { return columns_; }
  [[nodiscard]] std::size_t fixed_count() const noexcept { return fixed_count_; }
  [[nodiscard]] std::optional<std::size_t> find(std::string_view column) const;

  friend bool operator==(const TableSchema& a, const TableSchema& b);

 private:
  TableId id_;
  std::vector<ColumnSpec> columns_;
  std::size_t fixed_count_ = 0;
};

/// Every table of one scenario's run files: census and flows carry one code
/// column per census attribute ("route" for the route), persons one per
/// declared attribute, in declaration order.
struct RunSchema {
  TableSchema events, census, flows, pools, persons;

  /// Throws SchemaError if an attribute name collides with a column.
  [[nodiscard]] static RunSchema for_scenario(const ScenarioSpec& spec);
  [[nodiscard]] const TableSchema& table(TableId id) const;
};

/// Names an attribute may not take: the fixed columns of the tables that
/// attribute columns are added to (persons, census, flows).
[[nodiscard]] std::vector<std::string> reserved_column_names();

}  // namespace tsim::model
