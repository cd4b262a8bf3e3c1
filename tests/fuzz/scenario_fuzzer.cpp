// libFuzzer target for the scenario loader: any input must either load or
// be rejected with core::InputError. Anything else (a crash, a sanitizer
// report, another exception type) is a bug. See tests/fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "sim/core/error.hpp"
#include "sim/model/career_graph.hpp"
#include "sim/scenario/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto loaded = tsim::scenario::load_scenario_text(text, "fuzz.toml");
    // A scenario that loads must also describe itself without trouble.
    std::ostringstream out;
    tsim::model::CareerGraph(loaded.spec).write_dot(out);
  } catch (const tsim::core::InputError&) {
    // Rejected with a message: the expected outcome for most inputs.
  }
  return 0;
}
