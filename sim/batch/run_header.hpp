// The header of a run file, built in one place: which scenario, variant,
// seed, replication and record level, how the random numbers were made, and
// what built the binary. Every caller that starts a run gets its header here.
#pragma once

#include <cstdint>
#include <string>

#include "sim/model/sink.hpp"
#include "sim/scenario/scenario.hpp"

namespace tsim::batch {

/// How replication r's random numbers are made (root attribute rng_scheme).
inline constexpr const char* kRngScheme =
    "philox4x32-10; key=(master_seed, replication); counter=(person key low, person key high, purpose, draw)";

/// "baseline", or the names of the policies applied joined by '+': the
/// variant folder of docs/OUTPUT.md. Never throws (but std::bad_alloc).
[[nodiscard]] std::string variant_name(const model::ScenarioSpec& spec);

/// The header of replication `replication` of `loaded` in variant `variant`.
/// It points at loaded.spec, so `loaded` must outlive the header. Never
/// throws (but std::bad_alloc).
[[nodiscard]] model::RunHeader make_run_header(const scenario::LoadedScenario& loaded, const std::string& variant,
                                               std::uint32_t master_seed, std::uint32_t replication,
                                               model::RecordLevel record_level);

}  // namespace tsim::batch
