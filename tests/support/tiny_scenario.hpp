// A tiny scenario (a few hundred people, 3 years) and a policy that adds a
// state, written inline so the tests of runs, sweeps and comparisons show
// their model; and a temporary folder that cleans up after itself.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace tsim::test {

/// Trainees (profession CWP, band 4) qualify after a year into band 5 posts
/// and leave at 20% a year; census yearly by route.
inline constexpr const char* kTinyScenario = R"toml([scenario]
name = "tiny"
start_date = 2020-04-01
horizon_years = 3
census = { every = "year", by = ["sex", "route"] }

[parameters]
cohort = 150

[attributes.sex]
levels = ["F", "M"]
population = [0.6, 0.4]

[states.trainee]
kind = "training"
profession = "CWP"
band = 4
cost_per_year = 20000

[states.post]
kind = "post"
profession = "CWP"
band = 5
qualified = true
cost_per_year = 30000

[states.left]
kind = "exit"

[routes.main]
enters = "trainee"
intake = { on = "09-01", places = "cohort" }

[[transitions]]
from = "trainee"
after_years = 1
to = "post"

[[transitions]]
from = "post"
hazard = { per_year = 0.2 }
to = "left"
)toml";

/// A policy that ADDS a state (band 6 senior posts, reached from band 5),
/// so its runs have indicators the baseline lacks.
inline constexpr const char* kSeniorPolicy = R"toml([policy]
name = "senior-posts"
description = "band 6 senior posts for qualified staff"
cost_per_year = 100000

[states.senior]
kind = "post"
profession = "CWP"
band = 6
qualified = true
cost_per_year = 40000

[[transitions]]
from = "post"
hazard = { per_year = 0.3 }
to = "senior"

[[transitions]]
from = "senior"
hazard = { per_year = 0.1 }
to = "left"
)toml";

/// A fresh folder under the system temp folder, removed on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() / ("tsim_" + name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  /// Writes `text` to `<folder>/<name>` and returns the file's path.
  [[nodiscard]] std::string write(const std::string& name, const std::string& text) const {
    const auto p = path_ / name;
    std::ofstream(p) << text;
    return p.string();
  }

 private:
  std::filesystem::path path_;
};

/// A file's bytes ("" if it cannot be read).
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace tsim::test
