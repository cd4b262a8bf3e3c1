#include "sim/scenario/policy_merge.hpp"

#include <fmt/format.h>

#include "sim/scenario/names.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/source_file.hpp"

namespace tsim::scenario {

void merge_policy(toml::table& dst, const toml::table& src) {
  for (auto&& [k, v] : src) {
    const std::string key(k.str());
    toml::node* existing = dst.get(key);
    if (!existing) dst.insert(key, v);
    else if (existing->is_table() && v.is_table()) merge_policy(*existing->as_table(), *v.as_table());
    else if (existing->is_array() && v.is_array())
      for (const auto& item : *v.as_array()) existing->as_array()->push_back(item);
    else dst.insert_or_assign(key, v);
  }
}

namespace {

PolicyInfo read_policy_table(const toml::table& meta, Reader& reader) {
  PolicyInfo info;
  TableView t(reader, meta, "policy");
  if (const auto* n = t.require("name", "names the variant in outputs")) {
    info.name = reader.string(*n, "policy.name").value_or("");
    if (!info.name.empty()) (void)check_name(reader, *n, path_name_problem(info.name, "policy.name"));
  }
  if (const auto* n = t.get("description")) (void)reader.string(*n, "policy.description");
  if (const auto* n = t.get("sources")) (void)reader.strings(*n, "policy.sources");
  if (const auto* n = t.get("evidence")) (void)reader.string(*n, "policy.evidence");
  if (const auto* n = t.get("cost_per_year")) info.cost_per_year = reader.number(*n, "policy.cost_per_year").value_or(0);
  if (const auto* n = t.get("cost_once")) info.cost_once = reader.number(*n, "policy.cost_once").value_or(0);
  if (const auto* n = t.get("effective")) {
    if (const auto* d = n->as_date()) info.effective = core::Date{d->get().year, d->get().month, d->get().day};
    else reader.error(*n, "policy.effective must be a date such as 2021-04-01");
  }
  t.finish();
  return info;
}

}  // namespace

PolicyInfo apply_policy(toml::table& root, const std::string& path, Reader& reader) {
  toml::table policy = parse_toml(read_source_file(path), path);
  const toml::table* meta = policy["policy"].as_table();
  if (!meta) {
    reader.diags.add({path, 1, 1}, "a policy file needs a [policy] table with at least 'name'");
    return {};
  }
  PolicyInfo info = read_policy_table(*meta, reader);
  policy.erase("policy");
  merge_policy(root, policy);
  return info;
}

void record_policies(model::ScenarioSpec& spec, const std::vector<PolicyInfo>& policies) {
  for (const auto& p : policies) {
    spec.policies.push_back(p.name);
    spec.policy_cost_per_year += p.cost_per_year;
    spec.policy_cost_once += p.cost_once;
    if (p.effective) spec.policy_start_day = static_cast<double>(core::days_between(spec.start_date, *p.effective));
  }
}

std::string policy_name(const std::string& policy_path) {
  const auto t = parse_toml(read_source_file(policy_path), policy_path);
  if (auto n = t["policy"]["name"].value<std::string>()) return *n;
  throw core::InputError(core::SourceLocation{policy_path}, "a policy file needs [policy] name");
}

}  // namespace tsim::scenario
