// A small trainee -> staff -> exit scenario as text, for tests that change
// one line of it (hazard forms, plausibility warnings).
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace tsim::test {

/// Line numbers matter to the tests: the staff leaving hazard is on line 21,
/// the training duration on line 17, the route's intake on line 25.
inline constexpr const char* kPipelineText = R"toml([scenario]
name = "pipeline-text"
start_date = 2020-04-01
horizon_years = 3
[states.trainee]
kind = "training"
role = "trainee"
[states.staff]
kind = "post"
role = "staff"
[states.left]
kind = "exit"
role = "left_nhs"
[[transitions]]
from = "trainee"
to = "staff"
after_years = 1
[[transitions]]
from = "staff"
to = "left"
hazard = { per_year = 0.1 }
[routes.main]
enters = "trainee"
# the intake
intake = { on = "09-01", places = 10 }
)toml";

/// `text` with its first `from` replaced by `to` (a failed expectation if absent).
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at == std::string::npos) return text;
  return text.replace(at, from.size(), to);
}

}  // namespace tsim::test
