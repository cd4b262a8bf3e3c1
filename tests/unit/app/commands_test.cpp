// The commands in-process, through run_command_line with string streams: what
// a user sees (messages, exit statuses, files), without starting a process.
#include "sim/app/commands.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include <sstream>

#include "output/comparison_writer.hpp"
#include "sim/app/stop_signal.hpp"
#include "sim/batch/build_info.hpp"
#include "sim/batch/run_one.hpp"
#include "sim/model/indicators.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/scenario_text.hpp"
#include "tests/support/tiny_sweep.hpp"

using namespace tsim;
namespace fs = std::filesystem;

namespace {

using Result = test::CommandResult;
constexpr auto run = test::run_command;

// The lines of a file.
std::vector<std::string> lines_of(const fs::path& p) {
  std::istringstream in(test::slurp(p));
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// True if comparison.txt has a row for (indicator, policy): the name, padding, then the policy.
bool has_row(const std::vector<std::string>& lines, const std::string& indicator, const std::string& policy) {
  for (const auto& line : lines) {
    if (line.rfind(indicator + " ", 0) != 0) continue;
    const auto rest = line.substr(indicator.size());
    if (rest.substr(rest.find_first_not_of(' ')).rfind(policy + " ", 0) == 0) return true;
  }
  return false;
}

}  // namespace

TEST(Commands, RunWritesFilesAndSummarises) {
  const test::TempDir dir("cmd_run");
  const auto scenario = dir.write("tiny.toml", test::kTinyScenario);
  const auto out = (dir.path() / "out").string();
  const auto r = run({"run", scenario, "-r", "2", "-j", "2", "-q", "--seed", "3", "--out", out});
  ASSERT_EQ(r.status, app::kExitOk) << r.err;
  EXPECT_EQ(r.out.rfind("traineesim " + std::string(batch::build_info().version) + ": scenario 'tiny'", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("seed 3, 2 replication(s), record level full"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("at the horizon, "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("on 2 thread(s)"), std::string::npos);
  EXPECT_TRUE(fs::exists(fs::path(out) / "baseline/run_0.h5"));
  EXPECT_TRUE(fs::exists(fs::path(out) / "baseline/run_1.h5"));
  EXPECT_EQ(r.err, "");  // quiet
}

// --lean-memory gives leavers' places to newcomers: the run says how many it
// held at once (fewer than it created, in a scenario where people leave), and
// the files are byte for byte those of a run without it.
TEST(Commands, LeanMemoryHoldsFewerPeopleAndWritesTheSameFiles) {
  const test::TempDir dir("cmd_lean");
  const auto scenario = dir.write("tiny.toml", test::kTinyScenario);
  const auto plain = (dir.path() / "plain").string();
  const auto lean = (dir.path() / "lean").string();
  const auto a = run({"run", scenario, "-q", "--seed", "5", "--out", plain});
  const auto b = run({"run", scenario, "-q", "--seed", "5", "--out", lean, "--lean-memory"});
  ASSERT_EQ(a.status, app::kExitOk) << a.err;
  ASSERT_EQ(b.status, app::kExitOk) << b.err;
  EXPECT_EQ(a.out.find("held at once"), std::string::npos) << a.out;
  const auto at = b.out.find(" people (");
  ASSERT_NE(at, std::string::npos) << b.out;
  const auto created = std::stoull(b.out.substr(b.out.rfind(' ', at - 1) + 1));
  const auto held = std::stoull(b.out.substr(at + 9));
  EXPECT_LT(held, created) << b.out;
  EXPECT_GT(held, 0u);
  EXPECT_EQ(test::slurp(fs::path(plain) / "baseline/run_0.h5"), test::slurp(fs::path(lean) / "baseline/run_0.h5"));
}

TEST(Commands, VersionAndUsageErrors) {
  const auto v = run({"--version"});
  EXPECT_EQ(v.status, 0);
  EXPECT_EQ(v.out, "traineesim " + std::string(batch::build_info().version) + " (" +
                       std::string(batch::build_info().git_describe) + ")\n");
  const auto bad = run({"run", "x.toml", "--replications", "0"});
  EXPECT_EQ(bad.status, app::kExitBadInput);
  EXPECT_EQ(bad.err, "traineesim run: error: --replications must be between 1 and 100000, got 0\n"
                     "(see traineesim run --help)\n");
  const auto shard = run({"sweep", "x.toml", "--shard", "3/2"});
  EXPECT_EQ(shard.status, app::kExitBadInput);
  EXPECT_EQ(shard.err, "traineesim sweep: error: --shard must be i/N with 0 <= i < N, got '3/2'\n");
  EXPECT_EQ(run({"compare", "x.toml", "--policy", "p.toml", "-r", "1"}).status, app::kExitBadInput);
}

// Required: a policy adding a state keeps every baseline indicator row. The
// policy's new state adds indicators in the middle of the list (its headcount
// rows sit with the other headcount rows); matching by position lost the rows
// after them.
TEST(Commands, APolicyAddingAStateKeepsEveryBaselineIndicatorRow) {
  const test::TempDir dir("cmd_compare");
  const auto scenario = dir.write("tiny.toml", test::kTinyScenario);
  const auto policy = dir.write("senior.toml", test::kSeniorPolicy);
  const auto out = (dir.path() / "out").string();
  const auto r = run({"compare", scenario, "--policy", policy, "-r", "3", "-q", "--out", out});
  ASSERT_EQ(r.status, app::kExitOk) << r.err;
  EXPECT_NE(r.out.find("1 policy, 3 replications, seed 1 (common random numbers)"), std::string::npos) << r.out;
  for (const char* f : {"comparison.h5", "comparison.txt", "baseline/run_2.h5", "senior-posts/run_2.h5"})
    EXPECT_TRUE(fs::exists(fs::path(out) / f)) << f;

  // The baseline's own indicator names, computed in-process.
  const auto loaded = test::load(test::kTinyScenario);
  model::IndicatorCollector collector(loaded.spec, nullptr);
  batch::RunRequest request;
  request.record_level = model::RecordLevel::census;
  const auto baseline = collector.compute(batch::run_one(loaded, request, collector));
  ASSERT_GT(baseline.names.size(), 10u);
  const auto lines = lines_of(fs::path(out) / "comparison.txt");
  for (const auto& name : baseline.names) EXPECT_TRUE(has_row(lines, name, "senior-posts")) << name;
  // The policy's new band-6 posts have rows of their own, with no baseline side.
  EXPECT_TRUE(has_row(lines, "staff headcount [CWP band 6] on 2023-03-31", "senior-posts"));
  // Rows: every baseline indicator, the policy-only ones, and the two cost rows
  // (undiscounted and discounted).
  const auto with_policy = scenario::load_scenario_text(test::kTinyScenario, "tiny.toml", {}, {policy});
  model::IndicatorCollector policy_collector(with_policy.spec, nullptr);
  const auto policy_names = policy_collector.compute(batch::run_one(with_policy, request, policy_collector)).names;
  std::set<std::string> all(baseline.names.begin(), baseline.names.end());
  all.insert(policy_names.begin(), policy_names.end());
  EXPECT_GT(all.size(), baseline.names.size());
  EXPECT_NE(r.out.find(fmt::format("All {} rows", all.size() + 2)), std::string::npos) << r.out;
  // comparison.csv: a header and the same rows, for pandas and R.
  const auto csv = lines_of(fs::path(out) / "comparison.csv");
  ASSERT_EQ(csv.size(), all.size() + 3);
  EXPECT_EQ(csv.front(), "indicator,policy,baseline_mean,policy_mean,difference,ci_low,ci_high,half_width_paired,"
                         "half_width_unpaired,replications,same_as_baseline");
  const auto cost = std::find_if(csv.begin(), csv.end(), [](const std::string& l) {
    return l.rfind("cost per additional qualified FTE in post", 0) == 0;
  });
  ASSERT_NE(cost, csv.end());
  EXPECT_NE(cost->find(",senior-posts,,,"), std::string::npos) << *cost;  // no baseline or policy mean: empty fields
  EXPECT_EQ(cost->substr(cost->size() - 4), ",3,0") << *cost;  // 3 pairs; the policy changes the scenario
}

TEST(Commands, ComparisonCsvQuotesText) {
  output::ComparisonTable t;
  t.add("staff, \"all\"", "p", 1.5, 2.0, 0.5, 0.25, 0.75, 0.25, std::nan(""), 7);
  std::ostringstream csv;
  t.write_csv(csv);
  EXPECT_EQ(csv.str().substr(csv.str().find('\n') + 1), "\"staff, \"\"all\"\"\",p,1.5,2,0.5,0.25,0.75,0.25,,7,0\n");
  t.same_as_baseline.push_back("p");  // the policy's scenario is the baseline's: flagged on its rows
  std::ostringstream flagged;
  t.write_csv(flagged);
  EXPECT_EQ(flagged.str().substr(flagged.str().size() - 3), ",1\n");
}

// Sweep: the plan's order and shard split through the command line; shards
// plus --index-only give the same files as one straight run.
TEST(Commands, SweepShardsAndIndex) {
  const test::TempDir dir("cmd_sweep");
  const auto sweep = test::write_tiny_sweep(dir);
  const auto whole = (dir.path() / "whole").string(), sharded = (dir.path() / "sharded").string();
  const auto a = run({"sweep", sweep, "--out", whole, "-j", "2", "-q"});
  ASSERT_EQ(a.status, app::kExitOk) << a.err;
  EXPECT_NE(a.out.find("2 variant(s) x 2 sample(s) x 3 replication(s) = 12 runs, 2 thread(s)"), std::string::npos) << a.out;
  EXPECT_NE(a.out.find("index: 12 of 12 runs done"), std::string::npos) << a.out;
  const auto s0 = run({"sweep", sweep, "--out", sharded, "--shard", "0/2", "-q"});
  EXPECT_NE(s0.out.find(", shard 0/2 (6 runs)"), std::string::npos) << s0.out;
  // The estimate covers this shard's runs only.
  EXPECT_NE(a.out.find("; 12 file(s) of about"), std::string::npos) << a.out;
  EXPECT_NE(s0.out.find("; 6 file(s) of about"), std::string::npos) << s0.out;
  EXPECT_EQ(s0.out.find("index:"), std::string::npos);  // shards write no index
  EXPECT_TRUE(fs::exists(fs::path(sharded) / "baseline/s0/run_0.h5"));
  EXPECT_FALSE(fs::exists(fs::path(sharded) / "baseline/s0/run_1.h5"));
  EXPECT_TRUE(fs::exists(fs::path(sharded) / "baseline/s1/run_1.h5"));  // item 4
  EXPECT_EQ(run({"sweep", sweep, "--out", sharded, "--shard", "1/2", "-q"}).status, app::kExitOk);
  const auto idx = run({"sweep", sweep, "--out", sharded, "--index-only", "-q"});
  EXPECT_NE(idx.out.find("index: 12 of 12 runs done"), std::string::npos) << idx.out;
  for (const auto& e : fs::recursive_directory_iterator(whole)) {
    if (e.path().extension() != ".h5") continue;
    const auto rel = fs::relative(e.path(), whole);
    EXPECT_EQ(test::slurp(e.path()), test::slurp(fs::path(sharded) / rel)) << rel;
  }
}

// The stop flag is process-wide (signals can only reach static storage), so
// every command starts by clearing it: an earlier stop must not stop this one.
// A sweep with --lean-memory writes the same run files and index, byte for byte.
TEST(Commands, SweepWithLeanMemoryWritesTheSameFiles) {
  const test::TempDir dir("cmd_sweep_lean");
  const auto sweep = test::write_tiny_sweep(dir);
  const auto plain = (dir.path() / "plain").string(), lean = (dir.path() / "lean").string();
  ASSERT_EQ(run({"sweep", sweep, "--out", plain, "-j", "2", "-q"}).status, app::kExitOk);
  const auto b = run({"sweep", sweep, "--out", lean, "-j", "2", "-q", "--lean-memory"});
  ASSERT_EQ(b.status, app::kExitOk) << b.err;
  std::size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(plain)) {
    if (e.path().extension() != ".h5") continue;
    ++files;
    const auto rel = fs::relative(e.path(), plain);
    EXPECT_EQ(test::slurp(e.path()), test::slurp(fs::path(lean) / rel)) << rel;
  }
  EXPECT_EQ(files, 13u);  // 12 runs and sweep.h5
}

TEST(Commands, StopFlagIsResetAtTheStartOfEachCommand) {
  const test::TempDir dir("cmd_stop");
  const auto sweep = test::write_tiny_sweep(dir);
  app::stop_flag() = true;
  const auto r = run({"sweep", sweep, "--out", (dir.path() / "out").string(), "-q"});
  EXPECT_EQ(r.status, app::kExitOk) << r.err;
  EXPECT_NE(r.out.find("12 run(s) written"), std::string::npos) << r.out;
  EXPECT_FALSE(app::stop_flag().load());
}

// Bad options are refused before anything is read or written, naming the option.
TEST(Commands, BadOptionsNameTheOptionAndWriteNothing) {
  const test::TempDir dir("cmd_bad_options");
  const auto scenario = dir.write("tiny.toml", test::kTinyScenario);
  const auto cwd = fs::current_path();
  fs::current_path(dir.path());
  for (const auto& [args, message] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"run", scenario, "-o", ""}, "--out (-o) must name a folder, got an empty string"},
           {{"run", scenario, "--out", ""}, "--out (-o) must name a folder, got an empty string"},
           {{"compare", scenario, "--policy", "p.toml", "-r", "2", "-o", ""}, "--out (-o) must name a folder"},
           {{"run", scenario, "--seed", "99999999999999999999"}, "--seed must be between 0 and 2147483647, got 99999999999999999999"},
           {{"run", scenario, "-r", "18446744073709551617"}, "--replications must be between 1 and 100000"},
           {{"run", scenario, "-j", "1e3"}, "--threads must be a whole number between 0 and 4096, got '1e3'"},
           {{"run", scenario, "--seed", ""}, "--seed must be a whole number between 0 and 2147483647, got ''"},
           {{"sweep", "x.toml", "--shard", "1/99999999999999999999"}, "--shard must be i/N with 0 <= i < N, got '1/99999999999999999999'"},
           {{"sweep", "x.toml", "--shard", "-1/2"}, "--shard must be i/N with 0 <= i < N, got '-1/2'"},
           {{"sweep", "x.toml", "--shard", "1/2x"}, "--shard must be i/N with 0 <= i < N, got '1/2x'"},
           {{"sweep", "x.toml", "--shard", "1/0"}, "--shard must be i/N with 0 <= i < N, got '1/0'"},
           {{"sweep", "x.toml", "-o", ""}, "--out (-o) must name a folder, got an empty string"},
           {{"sweep", "x.toml", "-j", "-1"}, "--threads must be between 0 and 4096, got -1"}}) {
    const auto r = run(args);
    EXPECT_EQ(r.status, app::kExitBadInput) << args.back();
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);  // just tiny.toml
  fs::current_path(cwd);
}

// Two policies of one comparison with the same name would share a folder.
TEST(Commands, CompareRefusesTwoPoliciesWithOneName) {
  const test::TempDir dir("cmd_compare_dup");
  const auto scenario = dir.write("tiny.toml", test::kTinyScenario);
  const auto a = dir.write("a.toml", test::kSeniorPolicy);
  const auto b = dir.write("b.toml", test::kSeniorPolicy);
  const auto out = (dir.path() / "out").string();
  const auto r = run({"compare", scenario, "--policy", a, "--policy", b, "-r", "2", "-q", "--out", out});
  EXPECT_EQ(r.status, app::kExitBadInput);
  EXPECT_EQ(r.err, b + ":2:8: error: policy name 'senior-posts' is also the name of " + a + " (" + a +
                       ":2:8); the policies of one compare or sweep need distinct names, since each names an output "
                       "folder\n");
  EXPECT_FALSE(fs::exists(out));
}

// Required: a policy's own parameters can be set in a comparison (the
// baseline runs without the policy), and a policy that an override makes the
// baseline's scenario is warned about and flagged in comparison.txt.
TEST(Commands, CompareSetsPolicyParametersAndFlagsAPolicyEqualToTheBaseline) {
  const test::TempDir dir("cmd_compare_policy_set");
  const auto scenario = dir.write("tiny.toml", test::kTinyScenario);
  const auto ret = dir.write("ret.toml", R"toml([policy]
name = "retention"
[parameters]
effect = 0.25
[[modifiers]]
from = ["post"]
to = ["left"]
factor = "1 - effect"
)toml");
  const auto big = dir.write("big.toml", "[policy]\nname = \"big\"\n[parameters]\ncohort = 90\n");
  const auto out = (dir.path() / "out").string();
  const auto r = run({"compare", scenario, "--policy", ret, "--policy", big, "--set", "policy.retention.effect=0.4",
                      "--set", "parameters.cohort=90", "-r", "2", "-q", "--out", out});
  ASSERT_EQ(r.status, app::kExitOk) << r.err;
  EXPECT_NE(r.err.find("warning: policy 'big' resolves to the same scenario as the baseline"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("policy 'retention' resolves"), std::string::npos) << r.err;
  const auto txt = test::slurp(fs::path(out) / "comparison.txt");
  EXPECT_NE(txt.find("WARNING: policy 'big' resolves to the same scenario as the baseline"), std::string::npos);

  const auto bad = run({"compare", scenario, "--policy", ret, "--set", "policy.retentoin.effect=0.4", "-r", "2", "-q",
                        "--out", out + "2"});
  EXPECT_EQ(bad.status, app::kExitBadInput);
  EXPECT_NE(bad.err.find("'policy.retentoin.effect' names no policy of this run"), std::string::npos) << bad.err;
}

// psa end to end: the files appear, the summary puts noise and parameter
// intervals side by side; a scenario with nothing uncertain is bad input.
TEST(Commands, PsaWritesItsFilesAndRefusesAScenarioWithNothingUncertain) {
  const test::TempDir dir("cmd_psa");
  const auto scenario = dir.write("tiny.toml", std::string(test::kTinyScenario) +
                                                   "\n[uncertain.cohort]\ndistribution = \"uniform\"\nlow = 100\n"
                                                   "high = 200\nsource = \"[X]\"\n");
  const auto plain = dir.write("plain.toml", test::kTinyScenario);
  const auto policy = dir.write("senior.toml", test::kSeniorPolicy);
  const auto out = (dir.path() / "out").string();
  // cohort is an intake's places: psa draws it as a real number, which the scenario rejects.
  const auto r = run({"psa", scenario, "--policy", policy, "--draws", "3", "-r", "2", "-j", "2", "-o", out + "0"});
  EXPECT_EQ(r.status, app::kExitBadInput) << r.err;
  EXPECT_NE(r.err.find("(psa draw 0)"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out + "0")) << "bad input left the folder psa made (and its lock file)";
  const auto scenario2 = dir.write("tiny2.toml", std::string(test::kTinyScenario) +
                                                     "\n[uncertain.cohort]\ndistribution = \"uniform\"\nlow = 100\n"
                                                     "high = 200\nsource = \"[X]\"\n");
  std::string text = test::slurp(scenario2);
  text.replace(text.find("places = \"cohort\""), 17, "places = \"round(cohort)\"");
  (void)dir.write("tiny2.toml", text);
  const auto ok = run({"psa", scenario2, "--policy", policy, "--draws", "3", "-r", "2", "-j", "2", "-o", out});
  ASSERT_EQ(ok.status, app::kExitOk) << ok.err;
  EXPECT_NE(ok.out.find("noise only, R-run mean"), std::string::npos) << ok.out;
  for (const char* f : {"psa_summary.txt", "psa_runs.csv", "psa_acceptability.csv"})
    EXPECT_TRUE(fs::exists(fs::path(out) / f)) << f;
  EXPECT_EQ(lines_of(fs::path(out) / "psa_runs.csv").size(), 1u + 3 * 2);  // header + draws x replications
  const auto none = run({"psa", plain, "--policy", policy, "--draws", "3", "-r", "2", "-o", out + "2"});
  EXPECT_EQ(none.status, app::kExitBadInput);
  EXPECT_NE(none.err.find("declare no [uncertain.<parameter>]"), std::string::npos) << none.err;
  EXPECT_FALSE(fs::exists(out + "2"));
  // A folder that was there before stays, and holds what it held.
  fs::create_directories(out + "3");
  (void)dir.write("out3/notes.txt", "mine");
  const auto kept = run({"psa", plain, "--policy", policy, "--draws", "3", "-r", "2", "-o", out + "3"});
  EXPECT_EQ(kept.status, app::kExitBadInput);
  EXPECT_EQ(test::slurp(fs::path(out + "3") / "notes.txt"), "mine");
}
