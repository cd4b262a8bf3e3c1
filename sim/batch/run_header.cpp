#include "sim/batch/run_header.hpp"

#include "sim/batch/build_info.hpp"

namespace tsim::batch {

namespace {
std::string joined(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}
}  // namespace

std::string variant_name(const model::ScenarioSpec& spec) {
  const std::string name = joined(spec.policies, "+");
  return name.empty() ? "baseline" : name;
}

model::RunHeader make_run_header(const scenario::LoadedScenario& loaded, const std::string& variant,
                                 std::uint32_t master_seed, std::uint32_t replication, model::RecordLevel record_level) {
  const auto& spec = loaded.spec;
  model::RunHeader header;
  header.spec = &spec;
  header.scenario_sha256 = loaded.sha256;
  header.resolved_text = loaded.resolved_text;
  header.policies = joined(spec.policies, ",");
  header.variant = variant;
  header.replication = replication;
  header.master_seed = master_seed;
  header.rng_scheme = kRngScheme;
  header.record_level = record_level;
  header.traineesim_version = std::string(build_info().version);
  header.git_sha = std::string(build_info().git_describe);
  header.schema = std::make_shared<const model::RunSchema>(model::RunSchema::for_scenario(spec));
  return header;
}

}  // namespace tsim::batch
