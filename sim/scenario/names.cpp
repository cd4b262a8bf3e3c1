#include "sim/scenario/names.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

#include "sim/model/schema.hpp"

namespace tsim::scenario {

namespace {
bool is_path_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'; }

bool contains(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

std::string shown(const std::string& s) {
  std::string out;
  for (unsigned char c : s) out += (c < 0x20 || c == 0x7F) ? fmt::format("\\x{:02X}", c) : std::string(1, static_cast<char>(c));
  return out;
}
}  // namespace

const std::vector<std::string>& reserved_output_names() {
  static const std::vector<std::string> kNames{"baseline",   "comparison.h5",     "comparison.txt", "sweep.h5",
                                               "sweep_timings.csv", "manifest.json", "report",        "report.html"};
  return kNames;
}

std::vector<std::string> reserved_attribute_names() {
  std::vector<std::string> out;
  auto add = [&](const auto& defs) {
    for (const auto& d : defs)
      if (!contains(out, std::string(d.name))) out.emplace_back(d.name);
  };
  add(model::columns::kEvents);
  add(model::columns::kCensus);
  add(model::columns::kFlows);
  add(model::columns::kPools);
  add(model::columns::kPersons);
  for (const char* added : {"route", "replication", "variant", "sample", "date", "profession", "band", "kind"})
    if (!contains(out, added)) out.emplace_back(added);
  return out;
}

std::optional<std::string> path_name_problem(const std::string& name, const std::string& what) {
  const std::string rule = "1-100 letters, digits, '_', '-' or '.', not starting with '-' or '.' and without '..'";
  if (name.empty() || name.size() > 100 || name.front() == '-' || name.front() == '.' ||
      name.find("..") != std::string::npos || !std::all_of(name.begin(), name.end(), is_path_char))
    return fmt::format("{} '{}' must be {} (it becomes part of output paths)", what, shown(name), rule);
  if (contains(reserved_output_names(), name))
    return fmt::format("{} '{}' is a name the outputs use themselves; pick another", what, name);
  return std::nullopt;
}

std::optional<std::string> column_name_problem(const std::string& name, const std::string& what) {
  const bool identifier = !name.empty() && name.size() <= 64 && std::isalpha(static_cast<unsigned char>(name.front())) &&
                          std::all_of(name.begin(), name.end(), [](char c) {
                            return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                          });
  if (!identifier)
    return fmt::format("{} '{}' must be a letter followed by up to 63 letters, digits or '_' (it becomes a column of "
                       "the output tables)",
                       what, shown(name));
  const bool date_column = name.size() >= 5 && name.compare(name.size() - 5, 5, "_date") == 0;
  if (contains(reserved_attribute_names(), name) || date_column)
    return fmt::format("{} '{}' is already a column of the output tables (or one the loaders add); pick another name",
                       what, name);
  return std::nullopt;
}

std::optional<std::string> label_problem(const std::string& name, const std::string& what) {
  const bool control = std::any_of(name.begin(), name.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
  if (name.empty() || name.size() > 100 || control || std::isspace(static_cast<unsigned char>(name.front())) ||
      std::isspace(static_cast<unsigned char>(name.back())))
    return fmt::format("{} '{}' must be 1-100 characters with no control characters and no spaces around it", what,
                       shown(name));
  return std::nullopt;
}

}  // namespace tsim::scenario
