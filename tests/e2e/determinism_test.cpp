// Same binary, scenario and seed: byte-identical run files whatever the
// number of threads, and whether a run is alone or part of a larger batch.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace {
std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
int run(const std::string& args) {
  return std::system((std::string(TSIM_BINARY) + " " + args + " > /dev/null 2>&1").c_str());
}
}  // namespace

TEST(Determinism, ThreadsAndBatchesDoNotChangeFiles) {
  const auto dir = fs::temp_directory_path() / ("tsim_det_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::string scen = std::string(TSIM_SOURCE_DIR) + "/scenarios/cyp_psychological_professions.toml -q --seed 9";
  for (int threads : {1, 2, 4})
    ASSERT_EQ(run("run " + scen + " -r 4 -j " + std::to_string(threads) + " --out " + (dir / std::to_string(threads)).string()), 0);
  ASSERT_EQ(run("run " + scen + " -r 1 --out " + (dir / "alone").string()), 0);
  for (int r = 0; r < 4; ++r) {
    const auto one = slurp(dir / "1" / "baseline" / ("run_" + std::to_string(r) + ".h5"));
    ASSERT_GT(one.size(), 1000u);
    EXPECT_EQ(one, slurp(dir / "2" / "baseline" / ("run_" + std::to_string(r) + ".h5"))) << r;
    EXPECT_EQ(one, slurp(dir / "4" / "baseline" / ("run_" + std::to_string(r) + ".h5"))) << r;
  }
  EXPECT_EQ(slurp(dir / "1/baseline/run_0.h5"), slurp(dir / "alone/baseline/run_0.h5"));
  EXPECT_NE(slurp(dir / "1/baseline/run_0.h5"), slurp(dir / "1/baseline/run_1.h5"));
  fs::remove_all(dir);
}
