#include "sim/scenario/policy_overrides.hpp"

#include <fmt/format.h>

namespace tsim::scenario {

namespace {

constexpr const char* kPrefix = "policy.";

// The key after "policy.<name>." (up to '='), or "" when `text` is not
// addressed to `name`. The name may be written bare or quoted.
std::string key_for(const std::string& text, const std::string& name) {
  for (const std::string& head : {std::string(kPrefix) + name + ".", std::string(kPrefix) + "\"" + name + "\"."})
    if (text.rfind(head, 0) == 0) return text.substr(head.size());
  return {};
}

}  // namespace

bool is_policy_override(const Override& o) { return o.text.rfind(kPrefix, 0) == 0; }

std::vector<Override> overrides_for_policy(const std::vector<Override>& overrides, const std::string& name) {
  std::vector<Override> out;
  for (const auto& o : overrides) {
    if (!is_policy_override(o)) continue;
    const std::string rest = key_for(o.text, name);
    if (rest.empty()) continue;
    const std::string key = rest.substr(0, rest.find('='));
    // Costs live in the policy's [policy] table; everything else is a parameter.
    const bool cost = key == "cost_per_year" || key == "cost_once";
    out.push_back({(cost ? "policy." : "parameters.") + rest});
  }
  return out;
}

void check_policy_overrides(const std::vector<Override>& overrides, const std::vector<std::string>& policy_names,
                            const std::vector<core::SourceLocation>& where) {
  core::DiagnosticList diags;
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    const auto& o = overrides[i];
    if (!is_policy_override(o)) continue;
    bool known = false;
    for (const auto& name : policy_names) {
      const std::string rest = key_for(o.text, name);
      known = known || (!rest.empty() && rest.find('=') != 0);
    }
    if (known) continue;
    const auto at = i < where.size() ? where[i] : core::SourceLocation{"--set", 1, 1};
    const std::string given = o.text.substr(0, o.text.find('='));
    if (policy_names.empty()) {
      diags.add(at, fmt::format("'{}' is addressed to a policy, but no policy is applied here (give --policy)", given));
      continue;
    }
    std::string names;
    for (const auto& n : policy_names) names += (names.empty() ? "'" : ", '") + n + "'";
    diags.add(at, fmt::format("'{}' names no policy of this run: the form is policy.<name>.<parameter> with <name> one "
                              "of {}",
                              given, names));
  }
  diags.throw_if_any();
}

}  // namespace tsim::scenario
