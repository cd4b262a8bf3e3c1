#include "sim/batch/results_folder.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "sim/batch/build_info.hpp"
#include "sim/batch/replications.hpp"
#include "tests/support/scenario_text.hpp"
#include "tests/support/tiny_scenario.hpp"

using namespace tsim;
namespace fs = std::filesystem;

namespace {

batch::FolderManifest manifest_of(const scenario::LoadedScenario& loaded, std::uint32_t seed, std::uint32_t reps,
                                  model::RecordLevel level = model::RecordLevel::census) {
  return batch::make_manifest(loaded, "baseline", seed, reps, level);
}

// Writes replications 0..reps-1 of `loaded` into `dir` (no manifest: as a run stopped before it).
void write_runs(const scenario::LoadedScenario& loaded, const fs::path& dir, std::uint32_t seed, std::uint32_t reps,
                model::RecordLevel level = model::RecordLevel::census) {
  batch::ReplicationSettings settings;
  settings.master_seed = seed;
  settings.replications = reps;
  settings.record_level = level;
  for (const auto& run : batch::run_replications(loaded, "baseline", dir.string(), settings, {}))
    ASSERT_EQ(run.error, "");
}

}  // namespace

TEST(ResultsFolder, ManifestRoundTripsThroughToml) {
  auto m = manifest_of(test::load(test::kTinyScenario), 7, 3, model::RecordLevel::summary);
  m.variant = "a+b";
  m.policies = {"a", "b"};
  const std::string text = batch::manifest_text(m);
  EXPECT_NE(text.find("schema = 'traineesim.manifest'"), std::string::npos) << text;
  EXPECT_NE(text.find("scenario_name = 'tiny'"), std::string::npos) << text;
  EXPECT_EQ(text, batch::manifest_text(m));
  EXPECT_EQ(text.find("\nwritten ="), std::string::npos) << text;  // left out until the run completes
  m.written = "2026-11-24T03:50:12Z";
  EXPECT_EQ(batch::parse_manifest(batch::manifest_text(m)).written, m.written);
  const auto back = batch::parse_manifest(text);
  EXPECT_EQ(back.scenario_name, "tiny");
  EXPECT_EQ(back.scenario_sha256, m.scenario_sha256);
  EXPECT_EQ(back.scenario_sha256.size(), 64u);
  EXPECT_EQ(back.record_level, model::RecordLevel::summary);
  EXPECT_EQ(back.master_seed, 7u);
  EXPECT_EQ(back.replications, 3u);
  EXPECT_EQ(back.variant, "a+b");
  EXPECT_EQ(back.policies, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(back.traineesim_version, std::string(batch::build_info().version));
  EXPECT_EQ(back.git_sha, std::string(batch::build_info().git_describe));
}

// Policy texts survive the manifest whatever they hold (quotes, triple quotes,
// non-ASCII), in the order of the policies; a text for a policy the manifest
// does not list is not read back.
TEST(ResultsFolder, ManifestKeepsEachPolicysText) {
  auto m = manifest_of(test::load(test::kTinyScenario), 1, 2);
  m.variant = "b-c+a";
  m.policies = {"b-c", "a"};
  m.policy_texts = {{"b-c", "[policy]\nname = \"b-c\" # '''odd''' \"quotes\"\n"}, {"a", "[policy]\nname = 'a' # \u00a3 \u00e9\n"}};
  const auto back = batch::parse_manifest(batch::manifest_text(m));
  EXPECT_EQ(back.policy_texts, m.policy_texts);
  m.policies = {"a"};
  EXPECT_EQ(batch::parse_manifest(batch::manifest_text(m)).policy_texts.size(), 1u);
  m.policy_texts.clear();
  EXPECT_EQ(batch::manifest_text(m).find("policy_text"), std::string::npos);
}

TEST(ResultsFolder, AManifestThatCannotBeReadSaysWhy) {
  const std::string good = batch::manifest_text(manifest_of(test::load(test::kTinyScenario), 1, 2));
  auto replaced = [&](const std::string& key, const std::string& line) {
    const auto at = good.find(key + " = ");
    return good.substr(0, at) + line + good.substr(good.find('\n', at));
  };
  for (const auto& [text, message] : std::vector<std::pair<std::string, std::string>>{
           {"x = [", "not TOML (line 1, column"},
           {"schema = 'traineesim.sweep'", "not a traineesim manifest (schema 'traineesim.sweep')"},
           {"a = 1", "not a traineesim manifest (no schema key)"},
           {replaced("schema_version", "schema_version = 2"), "schema_version 2, this build reads 1"},
           {replaced("master_seed", "master_seed = -1"), "master_seed is not a whole number from 0 to 2147483647"},
           {replaced("replications", "replications = 0"), "replications is not a whole number from 1 to 2147483647"},
           {replaced("record_level", "record_level = 'all'"), "record_level 'all' is not full, census or summary"},
           {replaced("scenario_sha256", "scenario_sha256 = 3"), "scenario_sha256 is not a string"},
           {replaced("scenario_sha256", "unrelated = 3"), "no scenario_sha256 key"},
           {replaced("policies", "policies = [1]"), "policies is not a list of strings"}}) {
    try {
      (void)batch::parse_manifest(text);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const batch::ManifestError& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  }
  // Keys a later build may add are ignored.
  EXPECT_EQ(batch::parse_manifest(good + "files = 2\n").replications, 2u);
}

TEST(ResultsFolder, DifferencesNameWhatDiffers) {
  const auto loaded = test::load(test::kTinyScenario);
  const auto other = test::load(test::kTinyScenario, {{"parameters.cohort=100"}});
  const auto expected = manifest_of(loaded, 7, 3);
  EXPECT_EQ(batch::manifest_differences(expected, expected), "");
  EXPECT_EQ(batch::manifest_differences(manifest_of(loaded, 7, 2), expected), "");  // fewer replications: extended
  EXPECT_EQ(batch::manifest_differences(manifest_of(loaded, 8, 5, model::RecordLevel::full), expected),
            "record level full (this run census), seed 8 (this run 7), 5 replications (this run writes 3)");
  EXPECT_EQ(batch::manifest_differences(manifest_of(other, 7, 3), expected),
            "scenario_sha256 " + other.sha256.substr(0, 12) + " (this run " + loaded.sha256.substr(0, 12) + ")");
}

TEST(ResultsFolder, RunFilesInReplicationOrder) {
  const test::TempDir dir("results_folder_names");
  for (const char* name : {"run_10.h5", "run_2.h5", "run_x.h5", "run_01.h5", "other.h5", "run_3.h5.txt"})
    (void)dir.write(name, "");
  fs::create_directories(dir.path() / "run_9.h5");  // a folder is not a run file
  EXPECT_EQ(batch::run_file_names(dir.path().string()),
            (std::vector<std::string>{"run_2.h5", "run_10.h5", "run_01.h5", "run_x.h5"}));
  EXPECT_TRUE(batch::run_file_names((dir.path() / "absent").string()).empty());
}

// A run stopped before its manifest leaves this run's files only: the same
// run may write over them (the bytes are the same); the manifest comes at the end.
TEST(ResultsFolder, AStoppedRunsFilesAreThatRunsOwn) {
  const test::TempDir dir("results_folder_same");
  const auto loaded = test::load(test::kTinyScenario);
  EXPECT_TRUE(batch::inspect_variant_folder((dir.path() / "absent").string(), manifest_of(loaded, 3, 2)).conflicts.empty());
  write_runs(loaded, dir.path(), 3, 2);
  auto v = batch::inspect_variant_folder(dir.path().string(), manifest_of(loaded, 3, 2));
  EXPECT_TRUE(v.conflicts.empty());
  // Another seed's run may not.
  EXPECT_EQ(batch::inspect_variant_folder(dir.path().string(), manifest_of(loaded, 4, 2)).conflicts.size(), 2u);
  EXPECT_EQ(v.run_files, 2u);
  EXPECT_FALSE(v.has_manifest);
  batch::write_manifest(dir.path().string(), manifest_of(loaded, 3, 2));
  v = batch::inspect_variant_folder(dir.path().string(), manifest_of(loaded, 3, 2));
  EXPECT_TRUE(v.conflicts.empty());
  EXPECT_TRUE(v.has_manifest);
  // More replications than are on disk: the folder is extended.
  EXPECT_TRUE(batch::inspect_variant_folder(dir.path().string(), manifest_of(loaded, 3, 4)).conflicts.empty());
}

TEST(ResultsFolder, SweepAndRunFoldersAreToldApart) {
  const test::TempDir dir("results_folder_kinds");
  const auto d = dir.path();
  fs::create_directories(d / "sweep" / "baseline" / "s0");
  EXPECT_EQ(batch::sweep_folder_reason((d / "sweep" / "baseline").string()),
            (d / "sweep" / "baseline").string() + " holds a sweep's sample folder (" +
                (d / "sweep" / "baseline" / "s0").string() + ")");
  (void)dir.write("sweep/sweep.h5", "x");
  EXPECT_EQ(batch::sweep_folder_reason((d / "sweep" / "policy").string()),
            (d / "sweep").string() + " is a sweep's folder (" + (d / "sweep" / "sweep.h5").string() + ")");
  fs::create_directories(d / "run" / "baseline" / "s0x");  // not a sample folder
  EXPECT_EQ(batch::sweep_folder_reason((d / "run" / "baseline").string()), "");
  EXPECT_EQ(batch::run_folder_reason((d / "run").string()), "");
  EXPECT_EQ(batch::run_folder_reason((d / "sweep").string()), "");
  (void)dir.write("run/baseline/run_0.h5", "x");
  EXPECT_EQ(batch::run_folder_reason((d / "run").string()),
            (d / "run").string() + " holds the results of run or compare (" +
                (d / "run" / "baseline" / "run_0.h5").string() + ")");
  (void)dir.write("run/comparison.h5", "x");
  EXPECT_EQ(batch::run_folder_reason((d / "run").string()),
            (d / "run").string() + " holds a comparison (" + (d / "run" / "comparison.h5").string() + ")");
}

TEST(ResultsFolder, AnotherRunsFilesAreConflicts) {
  const test::TempDir dir("results_folder_other");
  const auto loaded = test::load(test::kTinyScenario);
  write_runs(loaded, dir.path(), 3, 3);
  const auto d = dir.path().string();
  auto conflicts = [&](const batch::FolderManifest& m) { return batch::inspect_variant_folder(d, m).conflicts; };
  auto c = conflicts(manifest_of(loaded, 4, 3));
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0], "run_0.h5 is another run's file: seed 3, expected 4");
  c = conflicts(manifest_of(loaded, 3, 3, model::RecordLevel::full));
  EXPECT_EQ(c.at(1), "run_1.h5 is another run's file: record level census, expected full");
  const auto other = test::load(test::kTinyScenario, {{"parameters.cohort=100"}});
  c = conflicts(manifest_of(other, 3, 3));
  EXPECT_EQ(c.at(2).rfind("run_2.h5 is another run's file: written for another scenario (sha256 ", 0), 0u) << c.at(2);
  c = conflicts(manifest_of(loaded, 3, 2));  // run_0 and run_1 are this run's (no manifest: a stopped run)
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c.at(0), "run_2.h5 means more replications on disk than this run writes (run_0.h5 to run_1.h5)");
  // The manifest comes first.
  batch::write_manifest(d, manifest_of(loaded, 3, 3));
  c = conflicts(manifest_of(loaded, 3, 1));
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0], "manifest.toml says 3 replications (this run writes 1)");
  EXPECT_EQ(c[1], "run_1.h5 means more replications on disk than this run writes (run_0.h5)");
  (void)dir.write("manifest.toml", "schema = 'traineesim.sweep'\n");
  EXPECT_EQ(conflicts(manifest_of(loaded, 3, 3)),
            (std::vector<std::string>{"manifest.toml cannot be read: not a traineesim manifest (schema 'traineesim.sweep')"}));
}

TEST(ResultsFolder, AManifestAloneIsAnotherRunsToo) {
  const test::TempDir dir("results_folder_manifest_alone");
  const auto loaded = test::load(test::kTinyScenario);
  batch::write_manifest(dir.path().string(), manifest_of(loaded, 3, 2));
  const auto v = batch::inspect_variant_folder(dir.path().string(), manifest_of(loaded, 5, 2));
  EXPECT_EQ(v.conflicts, (std::vector<std::string>{"manifest.toml says seed 3 (this run 5)"}));
  EXPECT_EQ(v.run_files, 0u);
}

// Files that are no run file at all are rewritten (as a sweep does), not another run's.
TEST(ResultsFolder, DamagedRunFilesAreRewritten) {
  const test::TempDir dir("results_folder_damaged");
  const auto loaded = test::load(test::kTinyScenario);
  (void)dir.write("run_0.h5", "text");
  (void)dir.write("run_1.h5", "");
  const auto v = batch::inspect_variant_folder(dir.path().string(), manifest_of(loaded, 3, 2));
  EXPECT_TRUE(v.conflicts.empty());
  EXPECT_EQ(v.damaged, (std::vector<std::string>{"run_0.h5: damaged (not an HDF5 file)",
                                                 "run_1.h5: damaged (empty file (0 bytes))"}));
}

TEST(ResultsFolder, ClearingRemovesRunFilesAndManifestOnly) {
  const test::TempDir dir("results_folder_clear");
  const auto loaded = test::load(test::kTinyScenario);
  write_runs(loaded, dir.path(), 3, 2);
  batch::write_manifest(dir.path().string(), manifest_of(loaded, 3, 2));
  for (const char* keep : {"notes.txt", "other.h5", ".traineesim.lock", "comparison.h5"}) (void)dir.write(keep, "x");
  fs::create_directories(dir.path() / "s0");
  (void)dir.write("s0/run_0.h5", "x");
  fs::create_symlink(dir.path() / "notes.txt", dir.path() / "run_7.h5");
  EXPECT_EQ(batch::clear_variant_folder(dir.path().string()), 4u);  // run_0, run_1, run_7 (the link) and the manifest
  std::vector<std::string> left;
  for (const auto& e : fs::recursive_directory_iterator(dir.path()))
    left.push_back(fs::relative(e.path(), dir.path()).string());
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{".traineesim.lock", "comparison.h5", "notes.txt", "other.h5", "s0",
                                            "s0/run_0.h5"}));
  EXPECT_EQ(test::slurp(dir.path() / "notes.txt"), "x");  // the link went, not what it pointed at
  EXPECT_EQ(batch::clear_variant_folder(dir.path().string()), 0u);
  EXPECT_EQ(batch::clear_comparison_files(dir.path().string()), 1u);
  EXPECT_FALSE(fs::exists(dir.path() / "comparison.h5"));
}

TEST(ResultsFolder, ManifestIsWrittenAtomically) {
  const test::TempDir dir("results_folder_write");
  const auto m = manifest_of(test::load(test::kTinyScenario), 3, 2);
  EXPECT_FALSE(batch::read_manifest(dir.path().string()).has_value());
  batch::write_manifest(dir.path().string(), m);
  batch::write_manifest(dir.path().string(), m);  // over an earlier one
  EXPECT_EQ(test::slurp(batch::manifest_path(dir.path().string())), batch::manifest_text(m));
  EXPECT_EQ(batch::read_manifest(dir.path().string())->master_seed, 3u);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);  // no temporary left
  EXPECT_TRUE(batch::clear_manifest(dir.path().string()));
  EXPECT_FALSE(batch::clear_manifest(dir.path().string()));
}
