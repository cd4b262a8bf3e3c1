#include "sim/scenario/policy_merge.hpp"

#include <fmt/format.h>

#include <sstream>

#include "sim/scenario/names.hpp"
#include "sim/scenario/overrides.hpp"
#include "sim/scenario/policy_overrides.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/source_file.hpp"

namespace tsim::scenario {

void merge_policy(toml::table& dst, toml::table&& src) {
  // toml++ copies drop source regions (moves keep them): every node taken
  // from the policy is moved, and a replaced entry gets the policy's key too.
  for (auto&& [k, v] : src) {
    toml::node* existing = dst.get(k.str());
    if (existing && existing->is_table() && v.is_table()) {
      merge_policy(*existing->as_table(), std::move(*v.as_table()));
    } else if (existing && existing->is_array() && v.is_array()) {
      for (auto& item : *v.as_array()) existing->as_array()->push_back(std::move(item));
    } else {
      if (existing) dst.erase(k.str());
      dst.insert(k, std::move(v));
    }
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
    // A TOML date or "YYYY-MM-DD", like every other date key.
    std::optional<core::Date> d;
    if (const auto* td = n->as_date()) d = core::Date{td->get().year, td->get().month, td->get().day};
    else if (const auto* s = n->as_string()) d = core::parse_date(s->get());
    if (d && core::is_valid(*d)) {
      info.effective = d;
      info.effective_where = reader.where(*n);
    }
    else reader.error(*n, "policy.effective must be a date such as 2021-04-01");
  }
  t.finish();
  return info;
}

}  // namespace

PolicyInfo apply_policy(toml::table& root, const std::string& path, Reader& reader,
                        const std::vector<Override>& overrides) {
  const std::string source_text = read_source_file(path);
  toml::table policy = parse_toml(source_text, path);
  const toml::table* meta = policy["policy"].as_table();
  if (!meta) {
    reader.diags.add({path, 1, 1}, "a policy file needs a [policy] table with at least 'name'");
    return {};
  }
  if (const auto* name = meta->get_as<std::string>("name")) {
    const auto mine = overrides_for_policy(overrides, name->get());
    // An empty [parameters] makes a parameter the policy lacks "unknown", not new.
    if (!mine.empty() && !policy.contains("parameters")) policy.insert("parameters", toml::table{});
    apply_overrides(policy, mine, reader);
    meta = policy["policy"].as_table();
  }
  PolicyInfo info = read_policy_table(*meta, reader);
  if (const auto* name = meta->get_as<std::string>("name"); name && !overrides_for_policy(overrides, name->get()).empty()) {
    std::ostringstream applied;
    applied << "# " << path << " with the overrides addressed to it (--set, or a sweep's keys)\n"
            << toml::toml_formatter(policy) << '\n';
    info.text = applied.str();
  } else {
    info.text = source_text;
  }
  policy.erase("policy");
  merge_policy(root, std::move(policy));
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

PolicyName read_policy_name(const std::string& policy_path) {
  const toml::table t = parse_toml(read_source_file(policy_path), policy_path);
  Reader reader(policy_path);
  PolicyName out;
  const toml::table* meta = t["policy"].as_table();
  const toml::node* n = meta ? meta->get("name") : nullptr;
  if (!meta) reader.diags.add({policy_path, 1, 1}, "a policy file needs a [policy] table with at least 'name'");
  else if (!n) reader.error(*meta, "[policy] needs 'name' (names the variant in outputs)");
  else if (auto name = reader.string(*n, "policy.name")) {
    // The rule apply_policy applies: the name becomes an output folder.
    if (check_name(reader, *n, path_name_problem(*name, "policy.name"))) out = {*name, reader.where(*n)};
  }
  reader.diags.throw_if_any();
  return out;
}

std::string policy_name(const std::string& policy_path) { return read_policy_name(policy_path).name; }

void check_distinct_policy_names(const std::vector<std::string>& policy_paths) {
  core::DiagnosticList diags;
  std::vector<std::pair<PolicyName, std::string>> seen;  // name, file
  for (const auto& path : policy_paths) {
    try {
      PolicyName p = read_policy_name(path);
      for (const auto& [other, file] : seen)
        if (other.name == p.name)
          diags.add(p.where, fmt::format("policy name '{}' is also the name of {} ({}); the policies of one compare "
                                         "or sweep need distinct names, since each names an output folder",
                                         p.name, file == path ? "this same file, listed twice" : file,
                                         other.where.str()));
      seen.emplace_back(std::move(p), path);
    } catch (const core::InputError& e) {
      for (const auto& d : e.problems()) diags.add(d.where, d.message);
    }
  }
  diags.throw_if_any();
}

}  // namespace tsim::scenario
