// The work items of a sweep and their fixed global order, which is part of
// the determinism contract (docs/ARCHITECTURE.md): variant-major, then
// parameter sample, then replication; item i writes
// `<variant>/s<sample>/run_<replication>.h5`. Shard i of N takes the items
// whose index % N == i, so any number of shards, threads or MPI ranks
// writes the same files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario/sweep.hpp"

namespace tsim::batch {

/// A variant of a sweep: the baseline, or one policy.
struct SweepVariant {
  std::string name;                   // folder name: "baseline" or the policy's [policy] name
  std::vector<std::string> policies;  // policy files applied (none for the baseline)
};

/// One run of a sweep.
struct WorkItem {
  std::size_t index = 0;    // position in the global order
  std::size_t variant = 0;  // into SweepPlan::variants()
  std::size_t sample = 0;   // parameter sample
  std::uint32_t replication = 0;
  std::string file;         // relative to the output folder
};

/// Shard `index` of `count` (0 <= index < count).
struct Shard {
  std::size_t index = 0;
  std::size_t count = 1;
};

/// Parses "i/N". Throws std::invalid_argument with the message the command line prints.
[[nodiscard]] Shard parse_shard(const std::string& text);

class SweepPlan {
 public:
  /// Every (variant, sample, replication) in the global order. Never throws (but std::bad_alloc).
  SweepPlan(std::vector<SweepVariant> variants, std::size_t samples, std::size_t replications);

  [[nodiscard]] const std::vector<SweepVariant>& variants() const noexcept { return variants_; }
  [[nodiscard]] const std::vector<WorkItem>& items() const noexcept { return items_; }
  [[nodiscard]] std::size_t samples() const noexcept { return samples_; }
  [[nodiscard]] std::size_t replications() const noexcept { return replications_; }

  /// Index of a (variant, sample) pair, 0 .. variants x samples - 1: what
  /// SweepScenarios is indexed by.
  [[nodiscard]] std::size_t slot(std::size_t variant, std::size_t sample) const noexcept {
    return variant * samples_ + sample;
  }
  /// The item of (variant, sample, replication); arguments must be in range.
  [[nodiscard]] const WorkItem& item(std::size_t variant, std::size_t sample, std::size_t replication) const noexcept {
    return items_[slot(variant, sample) * replications_ + replication];
  }
  /// Indices of the items of `shard`, in the global order. Throws
  /// std::invalid_argument unless shard.index < shard.count.
  [[nodiscard]] std::vector<std::size_t> shard(const Shard& shard) const;

 private:
  std::vector<SweepVariant> variants_;
  std::size_t samples_, replications_;
  std::vector<WorkItem> items_;
};

/// The variants of a sweep file: "baseline" when it runs one, then one per
/// policy, named by the policy's [policy] name (the file's stem if that cannot
/// be read; the run then fails with the reason). Never throws core::InputError.
[[nodiscard]] std::vector<SweepVariant> sweep_variants(const scenario::SweepSpec& sweep);

/// The plan of a sweep file (reads its policy files for their names). Never
/// throws core::InputError (but std::bad_alloc).
[[nodiscard]] SweepPlan make_sweep_plan(const scenario::SweepSpec& sweep);

}  // namespace tsim::batch
