#include "sim/app/new_command.hpp"

#include <gtest/gtest.h>
#include <cctype>
#include <fstream>
#include <sstream>

#include "sim/app/commands.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/scenario_text.hpp"
#include "tests/support/tiny_scenario.hpp"

using namespace tsim;
namespace fs = std::filesystem;

namespace {

using Result = test::CommandResult;
constexpr auto run = test::run_command;

}  // namespace

// The template is a working scenario: it loads without problems or warnings,
// under the name given.
TEST(NewCommand, TheTemplateValidatesWithoutWarnings) {
  const auto l = test::load(app::scenario_template("my-pipeline"));
  EXPECT_EQ(l.spec.name, "my-pipeline");
  EXPECT_TRUE(l.warnings.empty());
  EXPECT_EQ(l.spec.routes.size(), 1u);
  EXPECT_EQ(l.spec.pools.size(), 1u);
  EXPECT_NE(app::scenario_template("x").find("annual_share"), std::string::npos);
  // Every line that sets a number says what it is: a comment on the line or the line above.
  std::istringstream in(app::scenario_template("x"));
  std::string previous, line;
  int numbers = 0;
  while (std::getline(in, line)) {
    const auto eq = line.find(" = ");
    const bool number = eq != std::string::npos && eq + 3 < line.size() && std::isdigit(static_cast<unsigned char>(line[eq + 3]));
    if (number) {
      ++numbers;
      EXPECT_TRUE(line.find('#') != std::string::npos || previous.rfind('#', 0) == 0) << line;
    }
    previous = line;
  }
  EXPECT_GE(numbers, 8);
}

TEST(NewCommand, WritesAFileThatRunsAndRefusesToOverwriteIt) {
  const test::TempDir dir("cmd_new");
  const auto r = run({"new", "my-pipeline", "--dir", dir.path().string()});
  ASSERT_EQ(r.status, app::kExitOk) << r.err;
  const auto path = dir.path() / "my-pipeline.toml";
  ASSERT_TRUE(fs::exists(path));
  EXPECT_NE(r.out.find("wrote " + path.string()), std::string::npos) << r.out;
  const auto ran = run({"run", path.string(), "-q", "--record", "census", "--out", (dir.path() / "out").string()});
  EXPECT_EQ(ran.status, app::kExitOk) << ran.err;
  EXPECT_TRUE(fs::exists(dir.path() / "out/baseline/run_0.h5"));
  // A second time: refused, the file untouched (even when given with .toml).
  std::ofstream(path, std::ios::app) << "# my edits\n";
  const std::string before = test::slurp(path);
  const auto again = run({"new", "my-pipeline.toml", "--dir", dir.path().string()});
  EXPECT_EQ(again.status, app::kExitBadInput);
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
  EXPECT_EQ(test::slurp(path), before);
}

// The name becomes the scenario name and the output folder: checked by the same rule.
TEST(NewCommand, ChecksTheNameLikeAScenarioName) {
  const test::TempDir dir("cmd_new_names");
  for (const std::string bad : {"../escape", "baseline", "has space", ".hidden", "-dash", ""}) {
    const auto r = run({"new", bad, "--dir", dir.path().string()});
    EXPECT_EQ(r.status, app::kExitBadInput) << bad;
    EXPECT_NE(r.err.find("error"), std::string::npos) << bad << ": " << r.err;
  }
  EXPECT_TRUE(fs::is_empty(dir.path()));
  EXPECT_EQ(run({"new"}).status, app::kExitBadInput);
}
