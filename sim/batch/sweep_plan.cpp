#include "sim/batch/sweep_plan.hpp"

#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <stdexcept>

#include "sim/core/error.hpp"
#include "sim/scenario/scenario.hpp"

namespace tsim::batch {

Shard parse_shard(const std::string& text) {
  long long index = 0, count = 1;
  char slash = 0, tail = 0;
  if (std::sscanf(text.c_str(), "%lld%c%lld%c", &index, &slash, &count, &tail) != 3 || slash != '/' || count < 1 ||
      index < 0 || index >= count)
    throw std::invalid_argument(fmt::format("--shard must be i/N with 0 <= i < N, got '{}'", text));
  return {static_cast<std::size_t>(index), static_cast<std::size_t>(count)};
}

SweepPlan::SweepPlan(std::vector<SweepVariant> variants, std::size_t samples, std::size_t replications)
    : variants_(std::move(variants)), samples_(samples), replications_(replications) {
  items_.reserve(variants_.size() * samples_ * replications_);
  for (std::size_t v = 0; v < variants_.size(); ++v)
    for (std::size_t k = 0; k < samples_; ++k)
      for (std::size_t r = 0; r < replications_; ++r)
        items_.push_back({items_.size(), v, k, static_cast<std::uint32_t>(r),
                          fmt::format("{}/s{}/run_{}.h5", variants_[v].name, k, r)});
}

std::vector<std::size_t> SweepPlan::shard(const Shard& shard) const {
  if (shard.count == 0 || shard.index >= shard.count)
    throw std::invalid_argument(fmt::format("shard {}/{} is out of range", shard.index, shard.count));
  std::vector<std::size_t> out;
  for (const auto& it : items_)
    if (it.index % shard.count == shard.index) out.push_back(it.index);
  return out;
}

std::vector<SweepVariant> sweep_variants(const scenario::SweepSpec& sweep) {
  std::vector<SweepVariant> variants;
  if (sweep.baseline) variants.push_back({"baseline", {}});
  for (const auto& p : sweep.policy_paths) {
    std::string name;
    try {
      name = scenario::policy_name(p);
    } catch (const core::InputError&) {
      name = std::filesystem::path(p).stem().string();
    }
    variants.push_back({name, {p}});
  }
  return variants;
}

SweepPlan make_sweep_plan(const scenario::SweepSpec& sweep) {
  return SweepPlan(sweep_variants(sweep), sweep.samples.size(), static_cast<std::size_t>(sweep.replications));
}

}  // namespace tsim::batch
