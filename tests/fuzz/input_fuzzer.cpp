// libFuzzer target for the small languages inside an input: the first byte
// picks what the rest is, and any input must either be accepted or be
// rejected with its own error type. Anything else (a crash, a sanitizer
// report, a stack overflow, another exception type) is a bug.
//   byte % 3 == 0: an arithmetic expression, evaluated over two parameters
//                  and listed by expression_names (ExpressionError);
//   byte % 3 == 1: a `--set` text applied to a small valid scenario (InputError);
//   byte % 3 == 2: the value of a parameter that the scenario uses (InputError).
// Run with a large -max_len (65536 in .ci/run) so that the nesting and
// length limits of sim/core/expression.hpp are within reach. See tests/fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <fmt/format.h>
#include <string>

#include "sim/core/error.hpp"
#include "sim/core/expression.hpp"
#include "sim/scenario/scenario.hpp"

namespace {

constexpr const char* kScenario = R"toml([scenario]
name = "fuzz"
start_date = 2020-04-01
horizon_years = 3

[parameters]
cohort = 100
rate = 0.1
value = 1

[states.trainee]
kind = "training"

[states.post]
kind = "post"

[states.left]
kind = "exit"

[routes.main]
enters = "trainee"
intake = { on = "09-01", places = "floor(cohort * value)" }

[[transitions]]
from = "trainee"
after_years = 1
to = "post"

[[transitions]]
from = "post"
hazard = { per_year = "rate" }
to = "left"
)toml";

void expression(const std::string& text) {
  const tsim::core::NameLookup lookup = [](std::string_view name) -> std::optional<double> {
    if (name == "cohort") return 100.0;
    if (name == "rate") return 0.1;
    return std::nullopt;
  };
  try {
    (void)tsim::core::evaluate_expression(text, lookup);
  } catch (const tsim::core::ExpressionError&) {
  }
  try {
    (void)tsim::core::expression_names(text);
  } catch (const tsim::core::ExpressionError&) {
  }
}

void load(const std::string& scenario, const std::vector<tsim::scenario::Override>& overrides) {
  try {
    (void)tsim::scenario::load_scenario_text(scenario, "fuzz.toml", overrides);
  } catch (const tsim::core::InputError&) {
  }
}

// `text` as a TOML basic string's contents.
std::string escaped(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c < 0x20 || c == 0x7F) out += fmt::format("\\u{:04X}", c);
    else out += static_cast<char>(c);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: expression(text); break;
    case 1: load(kScenario, {{text}}); break;
    default: {
      std::string scenario(kScenario);
      scenario.replace(scenario.find("value = 1"), 9, "value = \"" + escaped(text) + "\"");
      load(scenario, {});
    }
  }
  return 0;
}
