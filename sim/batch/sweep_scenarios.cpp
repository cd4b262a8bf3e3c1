#include "sim/batch/sweep_scenarios.hpp"

#include <fmt/format.h>

#include <map>

#include "sim/core/error.hpp"

namespace tsim::batch {

SweepScenarios::SweepScenarios(const scenario::SweepSpec& sweep, const SweepPlan& plan) {
  (void)scenario::load_scenario_file(sweep.scenario_path);
  loaded_.resize(plan.variants().size() * plan.samples());
  errors_.resize(loaded_.size());
  problems_.resize(loaded_.size());
  for (std::size_t v = 0; v < plan.variants().size(); ++v)
    for (std::size_t k = 0; k < plan.samples(); ++k) {
      std::vector<scenario::Override> overrides;
      for (const auto& s : sweep.overrides(k)) overrides.push_back({s});
      const std::size_t slot = plan.slot(v, k);
      try {
        loaded_[slot] = scenario::load_scenario_file(sweep.scenario_path, overrides, plan.variants()[v].policies);
      } catch (const core::InputError& e) {
        errors_[slot] = e.what();
        problems_[slot] = e.problems();
      }
    }
  same_.assign(loaded_.size(), 0);
  const bool with_baseline = !plan.variants().empty() && plan.variants()[0].policies.empty();
  for (std::size_t v = 1; with_baseline && v < plan.variants().size(); ++v)
    for (std::size_t k = 0; k < plan.samples(); ++k) {
      const auto* base = get(plan.slot(0, k));
      const auto* mine = get(plan.slot(v, k));
      same_[plan.slot(v, k)] = base && mine && base->sha256 == mine->sha256 ? 1 : 0;
    }
}

namespace {

// The swept key an override problem comes from: overrides are named "--set"
// (one key) or "--set #i" (key i - 1) in the order of sweep.overrides(k).
std::optional<std::size_t> key_of(const scenario::SweepSpec& sweep, const std::string& origin) {
  if (origin == "--set" && sweep.parameter_keys.size() == 1) return 0;
  if (origin.rfind("--set #", 0) != 0) return std::nullopt;
  try {
    const auto i = std::stoul(origin.substr(7));
    if (i >= 1 && i <= sweep.parameter_keys.size()) return i - 1;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

std::string sample_words(const scenario::SweepSpec& sweep, std::size_t k) {
  std::string out;
  for (std::size_t j = 0; j < sweep.parameter_keys.size(); ++j)
    out += fmt::format("{}{} = {:g}", j ? ", " : "", sweep.parameter_keys[j], sweep.samples[k][j]);
  return out.empty() ? "" : " (" + out + ")";
}

}  // namespace

void check_all_load(const scenario::SweepSpec& sweep, const SweepPlan& plan, const SweepScenarios& scenarios) {
  struct Seen {
    core::Diagnostic first;
    std::size_t others = 0;
  };
  std::map<std::string, Seen> seen;  // the problem as reported alone -> its first slot, and how many more
  std::vector<std::string> order;
  for (std::size_t v = 0; v < plan.variants().size(); ++v)
    for (std::size_t k = 0; k < plan.samples(); ++k)
      for (const auto& p : scenarios.problems(plan.slot(v, k))) {
        const auto key = key_of(sweep, p.where.file);
        const core::SourceLocation where =
            key && *key < sweep.parameter_where.size() ? sweep.parameter_where[*key] : p.where;
        const std::string alone = where.str() + p.message;
        if (auto it = seen.find(alone); it != seen.end()) {
          ++it->second.others;
          continue;
        }
        const std::string variant = plan.variants()[v].name;
        seen.emplace(alone, Seen{{where, fmt::format("variant '{}', sample {}{}: {}", variant, k,
                                                     sample_words(sweep, k), p.message)}});
        order.push_back(alone);
      }
  if (order.empty()) return;
  std::vector<core::Diagnostic> problems;
  for (const auto& key : order) {
    auto d = seen[key].first;
    if (seen[key].others) d.message += fmt::format(" (and {} other variant/sample(s) alike)", seen[key].others);
    problems.push_back(std::move(d));
  }
  problems.push_back({sweep.where, "the sweep was not started: every variant and sample must load (nothing written)"});
  throw core::InputError(std::move(problems));
}

}  // namespace tsim::batch
