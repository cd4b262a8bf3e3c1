#include "output/run_dictionaries.hpp"

#include <cmath>

#include "output/h5.hpp"

namespace tsim::output {

namespace {

std::vector<std::int32_t> codes(std::size_t n) {
  std::vector<std::int32_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::int32_t>(i);
  return out;
}

Dictionary code_name(const char* group, std::vector<std::string> names, const char* label) {
  const std::size_t n = names.size();
  return {group, {{"code", codes(n)}, {label, std::move(names)}}};
}

Dictionary states(const model::ScenarioSpec& spec) {
  std::vector<std::int32_t> band, qualified;
  std::vector<std::string> name, profession, kind, role;
  for (const auto& s : spec.states) {
    name.push_back(s.name);
    profession.push_back(s.profession);
    kind.push_back(model::to_string(s.kind));
    role.push_back(model::to_string(s.role));
    band.push_back(s.band);
    qualified.push_back(s.qualified ? 1 : 0);
  }
  return {"states",
          {{"code", codes(spec.states.size())},
           {"name", std::move(name)},
           {"profession", std::move(profession)},
           {"kind", std::move(kind)},
           {"role", std::move(role)},
           {"band", std::move(band)},
           {"qualified", std::move(qualified)}}};
}

}  // namespace

std::vector<Dictionary> run_dictionaries(const model::ScenarioSpec& spec) {
  std::vector<Dictionary> out;
  out.push_back(states(spec));
  out.push_back(code_name("events", spec.events, "name"));
  std::vector<std::string> routes, pools;
  for (const auto& r : spec.routes) routes.push_back(r.name);
  for (const auto& p : spec.pools) pools.push_back(p.name);
  out.push_back(code_name("routes", std::move(routes), "name"));
  out.push_back(code_name("pools", std::move(pools), "name"));
  for (const auto& a : spec.attributes) {
    std::vector<double> population;
    for (std::size_t i = 0; i < a.levels.size(); ++i)
      population.push_back(a.population.empty() ? std::nan("") : a.population[i]);
    out.push_back({kAttributeDictionaries + a.name,
                   {{"code", codes(a.levels.size())}, {"label", a.levels}, {"population", std::move(population)}}});
  }
  return out;
}

void write_dictionaries(hid_t group, const model::ScenarioSpec& spec) {
  const std::string prefix = kAttributeDictionaries;
  h5::Handle attributes;
  auto attributes_group = [&] {
    if (!attributes) attributes = h5::create_group(group, "attributes");
    return attributes.get();
  };
  for (const auto& d : run_dictionaries(spec)) {
    const bool attribute = d.group.rfind(prefix, 0) == 0;
    auto g = attribute ? h5::create_group(attributes_group(), d.group.substr(prefix.size()))
                       : h5::create_group(group, d.group);
    for (const auto& c : d.columns) std::visit([&](const auto& v) { h5::write_column(g.get(), c.name, v); }, c.values);
  }
  (void)attributes_group();  // written even when the scenario declares no attributes
}

}  // namespace tsim::output
