// Results folders that never mix, through the commands in-process: a folder
// holding another run's files is refused (exit 2, nothing changed), the same
// command again is fine, --overwrite replaces exactly that variant's files,
// and a folder a stopped run left (run files, no manifest) is that run's to finish.
#include "sim/app/output_folder.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "sim/app/commands.hpp"
#include "sim/batch/build_info.hpp"
#include "sim/batch/comparison.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/scenario_text.hpp"
#include "tests/support/tiny_sweep.hpp"

using namespace tsim;
namespace fs = std::filesystem;

namespace {

using Result = test::CommandResult;
constexpr auto run = test::run_command;

// A manifest without its `written` line, the one clock time in a results folder.
std::string without_written(const std::string& manifest) {
  const auto at = manifest.find("\nwritten = ");
  return at == std::string::npos ? manifest : manifest.substr(0, at) + manifest.substr(manifest.find('\n', at + 1));
}

// Every file under `dir` (relative name -> bytes; manifests without_written), the lock files aside.
std::map<std::string, std::string> files_under(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename() != ".traineesim.lock") {
      const auto bytes = test::slurp(e.path());
      out[fs::relative(e.path(), dir).string()] =
          e.path().filename() == batch::kManifestName ? without_written(bytes) : bytes;
    }
  return out;
}

struct Folder {
  test::TempDir dir;
  std::string scenario, policy, out;
  explicit Folder(const std::string& name)
      : dir(name),
        scenario(dir.write("tiny.toml", test::kTinyScenario)),
        policy(dir.write("senior.toml", test::kSeniorPolicy)),
        out((dir.path() / "out").string()) {}
  [[nodiscard]] Result tiny(std::vector<std::string> extra) const {
    std::vector<std::string> args{"run", scenario, "-q", "--out", out};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }
  [[nodiscard]] std::string baseline() const { return (fs::path(out) / "baseline").string(); }
};

}  // namespace

// The analyst's case: a rerun with another --set into the folder of an earlier run.
TEST(OutputFolder, ARunOfAnotherScenarioIsRefusedAndChangesNothing) {
  const Folder f("folder_refused");
  ASSERT_EQ(f.tiny({"-r", "5", "--seed", "3"}).status, app::kExitOk);
  const auto before = files_under(f.out);
  ASSERT_EQ(before.size(), 6u);  // run_0..4 and the manifest
  const auto r = f.tiny({"-r", "2", "--seed", "3", "--set", "parameters.cohort=100"});
  EXPECT_EQ(r.status, app::kExitBadInput);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("traineesim run: error: " + f.baseline() + " holds another run's files: manifest.toml says "
                        "scenario_sha256 ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("5 replications (this run writes 2); and 5 more file(s) differ; --overwrite removes this "
                       "folder's run files and manifest.toml first (nothing else), or choose another --out\n"),
            std::string::npos) << r.err;
  EXPECT_EQ(files_under(f.out), before);
}

TEST(OutputFolder, EachDifferenceIsRefused) {
  const Folder f("folder_differences");
  ASSERT_EQ(f.tiny({"-r", "3", "--seed", "3"}).status, app::kExitOk);
  const auto before = files_under(f.out);
  for (const auto& [args, why] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"-r", "3", "--seed", "4"}, "manifest.toml says seed 3 (this run 4); and 3 more"},
           {{"-r", "3", "--seed", "3", "--record", "census"}, "manifest.toml says record level full (this run census)"},
           {{"-r", "2", "--seed", "3"}, "manifest.toml says 3 replications (this run writes 2); and 1 more"}}) {
    const auto r = f.tiny(args);
    EXPECT_EQ(r.status, app::kExitBadInput) << why;
    EXPECT_NE(r.err.find(why), std::string::npos) << r.err;
  }
  EXPECT_EQ(files_under(f.out), before);
}

TEST(OutputFolder, TheSameCommandAgainRewritesTheSameFiles) {
  const Folder f("folder_same");
  ASSERT_EQ(f.tiny({"-r", "2", "--seed", "3"}).status, app::kExitOk);
  const auto before = files_under(f.out);
  const auto again = f.tiny({"-r", "2", "--seed", "3"});
  EXPECT_EQ(again.status, app::kExitOk) << again.err;
  EXPECT_EQ(again.err, "");
  EXPECT_EQ(files_under(f.out), before);
  // More replications of the same run extend the folder.
  ASSERT_EQ(f.tiny({"-r", "3", "--seed", "3", "-j", "1"}).status, app::kExitOk);
  const auto after = files_under(f.out);
  EXPECT_EQ(after.size(), 4u);
  EXPECT_EQ(after.at("baseline/run_1.h5"), before.at("baseline/run_1.h5"));
  EXPECT_EQ(batch::read_manifest(f.baseline())->replications, 3u);
}

// A run stopped before its manifest leaves run files only: another run is
// refused, the same run finishes the folder (and writes the manifest);
// --overwrite starts again.
TEST(OutputFolder, AStoppedRunIsFinishedByTheSameRunOnly) {
  const Folder f("folder_killed");
  ASSERT_EQ(f.tiny({"-r", "3", "--seed", "3"}).status, app::kExitOk);
  ASSERT_TRUE(batch::clear_manifest(f.baseline()));
  const auto before = files_under(f.out);
  const auto other = f.tiny({"-r", "3", "--seed", "4"});
  EXPECT_EQ(other.status, app::kExitBadInput);
  EXPECT_NE(other.err.find(f.baseline() + " holds another run's files: run_0.h5 is another run's file: seed 3, "
                                          "expected 4; and 2 more file(s) differ"),
            std::string::npos) << other.err;
  EXPECT_EQ(files_under(f.out), before);
  const auto same = f.tiny({"-r", "3", "--seed", "3"});
  EXPECT_EQ(same.status, app::kExitOk) << same.err;
  EXPECT_EQ(batch::read_manifest(f.baseline())->replications, 3u);
  ASSERT_TRUE(batch::clear_manifest(f.baseline()));
  const auto overwritten = f.tiny({"-r", "3", "--seed", "4", "--overwrite"});
  EXPECT_EQ(overwritten.status, app::kExitOk) << overwritten.err;
  EXPECT_EQ(overwritten.err, "traineesim run: --overwrite: removed 3 file(s) of an earlier run from " + f.baseline() + "\n");
  EXPECT_EQ(batch::read_manifest(f.baseline())->master_seed, 4u);
}

TEST(OutputFolder, ADamagedRunFileIsNamedAndRewritten) {
  const Folder f("folder_damaged");
  fs::create_directories(f.baseline());
  (void)f.dir.write("out/baseline/run_0.h5", "not a run file");
  const auto r = f.tiny({"-r", "1"});
  EXPECT_EQ(r.status, app::kExitOk) << r.err;
  EXPECT_EQ(r.err, "traineesim run: " + f.baseline() + "/run_0.h5: damaged (not an HDF5 file), rewriting\n");
  EXPECT_GT(test::slurp(fs::path(f.baseline()) / "run_0.h5").size(), 1000u);
}

TEST(OutputFolder, TheManifestSaysWhichRun) {
  const Folder f("folder_manifest");
  ASSERT_EQ(f.tiny({"-r", "2", "--seed", "9", "--record", "census", "--policy", f.policy}).status, app::kExitOk);
  const auto m = batch::read_manifest((fs::path(f.out) / "senior-posts").string());
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->scenario_name, "tiny");
  EXPECT_EQ(m->record_level, model::RecordLevel::census);
  EXPECT_EQ(m->master_seed, 9u);
  EXPECT_EQ(m->replications, 2u);
  EXPECT_EQ(m->variant, "senior-posts");
  EXPECT_EQ(m->policies, (std::vector<std::string>{"senior-posts"}));
  EXPECT_EQ(m->traineesim_version, std::string(batch::build_info().version));
  // Written when the run completed: an ISO 8601 UTC time to the second.
  ASSERT_EQ(m->written.size(), 20u) << m->written;
  EXPECT_EQ(m->written.substr(0, 2), "20");
  EXPECT_EQ(m->written[10], 'T');
  EXPECT_EQ(m->written.back(), 'Z');
}

// --overwrite removes that variant's run files and manifest and nothing else:
// the other variants of a comparison, its comparison files and other files stay.
TEST(OutputFolder, OverwriteReplacesExactlyThatVariantsFiles) {
  const Folder f("folder_overwrite");
  ASSERT_EQ(run({"compare", f.scenario, "--policy", f.policy, "-r", "3", "-q", "--out", f.out}).status, app::kExitOk);
  (void)f.dir.write("out/baseline/notes.txt", "mine");
  const auto before = files_under(f.out);
  const auto r = f.tiny({"-r", "1", "--set", "parameters.cohort=100", "--overwrite"});
  EXPECT_EQ(r.status, app::kExitOk) << r.err;
  EXPECT_EQ(r.err, "traineesim run: --overwrite: removed 4 file(s) of an earlier run from " + f.baseline() + "\n");
  auto after = files_under(f.out);
  EXPECT_NE(after.at("baseline/run_0.h5"), before.at("baseline/run_0.h5"));
  EXPECT_EQ(after.count("baseline/run_1.h5"), 0u);
  EXPECT_EQ(batch::read_manifest(f.baseline())->replications, 1u);
  for (const auto& [name, bytes] : before)
    if (name.rfind("baseline/", 0) != 0 || name == "baseline/notes.txt") {
      EXPECT_EQ(after.at(name), bytes) << name;
    }
  EXPECT_EQ(after.size(), before.size() - 2);  // run_1 and run_2 of the baseline are gone
}

TEST(OutputFolder, CompareChecksEveryVariantFolderFirstAndOverwritesThemAll) {
  const Folder f("folder_compare");
  const std::vector<std::string> compare{"compare", f.scenario, "--policy", f.policy, "-r", "2", "-q", "--out", f.out};
  ASSERT_EQ(run(compare).status, app::kExitOk);
  fs::create_directories(fs::path(f.out) / "unrelated");
  (void)f.dir.write("out/unrelated/run_0.h5", "another command's");  // not a folder of this compare
  const auto before = files_under(f.out);
  EXPECT_EQ(run(compare).status, app::kExitOk);  // the same comparison again
  EXPECT_EQ(files_under(f.out), before);
  // Independent seeds change only the policy's runs: refused, though the baseline is the same run.
  auto independent = compare;
  independent.push_back("--independent-seeds");
  auto r = run(independent);
  EXPECT_EQ(r.status, app::kExitBadInput);
  const auto policy_seed = batch::policy_seed(1, 0, true);
  EXPECT_NE(r.err.find((fs::path(f.out) / "senior-posts").string() + " holds another run's files: manifest.toml "
                       "says seed 1 (this run " + std::to_string(policy_seed) + ")"),
            std::string::npos) << r.err;
  EXPECT_EQ(files_under(f.out), before);  // nothing ran, not even the baseline
  independent.push_back("--overwrite");
  r = run(independent);
  EXPECT_EQ(r.status, app::kExitOk) << r.err;
  EXPECT_NE(r.err.find("removed 3 file(s) of an earlier run from " + (fs::path(f.out) / "senior-posts").string()),
            std::string::npos) << r.err;
  EXPECT_EQ(batch::read_manifest((fs::path(f.out) / "senior-posts").string())->master_seed, policy_seed);
  const auto after = files_under(f.out);
  EXPECT_EQ(after.at("unrelated/run_0.h5"), "another command's");
  EXPECT_EQ(after.at("baseline/run_1.h5"), before.at("baseline/run_1.h5"));  // same run, same bytes
  EXPECT_NE(after.at("comparison.txt"), before.at("comparison.txt"));
}

// A sweep's variant folders are its own (sweep.h5 is their index): no manifest.
TEST(OutputFolder, SweepsWriteNoManifest) {
  const test::TempDir dir("folder_sweep");
  const auto sweep = test::write_tiny_sweep(dir);
  const auto out = dir.path() / "out";
  ASSERT_EQ(run({"sweep", sweep, "--out", out.string(), "-q"}).status, app::kExitOk);
  for (const auto& e : fs::recursive_directory_iterator(out)) EXPECT_NE(e.path().filename(), "manifest.toml");
}

// A sweep's folder is never mistaken for a run folder, nor the other way round.
TEST(OutputFolder, RunAndSweepNeverShareAFolder) {
  const test::TempDir dir("folder_sweep_run");
  const auto sweep = test::write_tiny_sweep(dir);
  const auto swept = dir.path() / "swept";
  ASSERT_EQ(run({"sweep", sweep, "--out", swept.string(), "-q"}).status, app::kExitOk);
  const auto scenario = dir.write("tiny.toml", test::kTinyScenario);
  for (const bool overwrite : {false, true}) {
    std::vector<std::string> args{"run", scenario, "-q", "--out", swept.string()};
    if (overwrite) args.push_back("--overwrite");
    const auto r = run(args);
    EXPECT_EQ(r.status, app::kExitBadInput);
    EXPECT_EQ(r.err.rfind("traineesim run: error: " + swept.string() + " is a sweep's folder (" +
                              (swept / "sweep.h5").string() + "): run writes its own folders; choose another --out\n",
                          0), 0u) << r.err;
  }
  EXPECT_FALSE(fs::exists(swept / "baseline" / batch::kManifestName));
  const auto ran = dir.path() / "ran";
  ASSERT_EQ(run({"run", scenario, "-q", "-r", "1", "--out", ran.string()}).status, app::kExitOk);
  const auto r = run({"sweep", sweep, "--out", ran.string(), "-q"});
  EXPECT_EQ(r.status, app::kExitBadInput);
  EXPECT_NE(r.err.find(ran.string() + " holds the results of run or compare (" +
                       (ran / "baseline" / batch::kManifestName).string() + "): a sweep writes a folder of its own"),
            std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(ran / "sweep.h5"));
}

TEST(OutputFolder, TheRefusalNamesTheFirstDifferenceAndCountsTheRest) {
  batch::FolderVerdict v;
  v.conflicts = {"manifest.toml says seed 3 (this run 4)"};
  EXPECT_EQ(app::another_run_message("out/baseline", v),
            "out/baseline holds another run's files: manifest.toml says seed 3 (this run 4); --overwrite removes "
            "this folder's run files and manifest.toml first (nothing else), or choose another --out");
  v.conflicts.push_back("run_0.h5 is another run's file: seed 3, expected 4");
  EXPECT_NE(app::another_run_message("out/baseline", v).find("(this run 4); and 1 more file(s) differ; --overwrite"),
            std::string::npos);
}
