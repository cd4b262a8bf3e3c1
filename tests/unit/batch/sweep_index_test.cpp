#include "sim/batch/sweep_index.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <set>

#include "sim/batch/run_one.hpp"
#include "sim/batch/sweep_runner.hpp"
#include "tests/support/tiny_sweep.hpp"

using namespace tsim;
namespace fs = std::filesystem;

// The index is rebuilt from the files on disk: what is there is "done", a
// slot that cannot load is "failed" with its reason, the rest "missing".
TEST(SweepIndex, StatusFromTheFilesOnDisk) {
  const test::TempDir dir("sweep_index");
  (void)dir.write("broken.toml", test::kBrokenPolicy);
  const auto sweep = scenario::load_sweep_file(test::write_tiny_sweep(dir, R"(, "broken.toml")"));
  const auto plan = batch::make_sweep_plan(sweep);
  const batch::SweepScenarios scenarios(sweep, plan);
  const auto out = (dir.path() / "out").string();
  fs::create_directories(out);
  const auto result = batch::run_sweep_items(plan, scenarios, sweep.seed, sweep.record, plan.shard({0, 2}), out, 2,
                                             nullptr, {});
  const auto index = batch::build_sweep_index(sweep, plan, scenarios, result, out);
  ASSERT_EQ(index.status.size(), 18u);
  for (const auto& it : plan.items()) {
    const std::string expected = it.variant == 2 ? "failed" : it.index % 2 == 0 ? "done" : "missing";
    EXPECT_EQ(index.status[it.index], expected) << it.file;
    EXPECT_EQ(index.file[it.index], it.file);
    EXPECT_EQ(index.error[it.index].empty(), expected != "failed");
  }
  EXPECT_EQ(index.parameter_names, (std::vector<std::string>{"parameters.cohort"}));
  EXPECT_EQ(index.parameter_values, (std::vector<std::vector<double>>{{60, 90}}));
  EXPECT_FALSE(index.aggregate.mean.empty());
  EXPECT_FALSE(index.paired.mean_difference.empty());
  const auto file = batch::write_sweep_index_file(sweep, plan, scenarios, result, out);
  EXPECT_EQ(file.path, (fs::path(out) / "sweep.h5").string());
  EXPECT_EQ(file.runs, 18u);
  EXPECT_EQ(file.done, 6u);
  EXPECT_TRUE(fs::exists(file.path));
  // Same files on disk, same index bytes.
  const auto first = test::slurp(file.path);
  (void)batch::write_sweep_index_file(sweep, plan, scenarios, {}, out);
  EXPECT_EQ(test::slurp(file.path), first);
}

// Files that do not verify are never "done": damaged ones are "failed" and
// files of another run "missing", each with the reason; the index is written.
TEST(SweepIndex, DamagedAndForeignFilesAreNotDone) {
  const test::TempDir dir("sweep_index_damaged");
  const auto sweep = scenario::load_sweep_file(test::write_tiny_sweep(dir));
  const auto plan = batch::make_sweep_plan(sweep);
  const batch::SweepScenarios scenarios(sweep, plan);
  const auto out = (dir.path() / "out").string();
  const auto ran = batch::run_sweep_items(plan, scenarios, sweep.seed, sweep.record, plan.shard({0, 1}), out, 2,
                                          nullptr, {});
  const auto path = [&](std::size_t i) { return batch::item_path(out, plan.items()[i]); };
  std::ofstream(path(0), std::ios::trunc) << "not a run file\n";
  fs::resize_file(path(1), 0);
  fs::remove(path(2));
  fs::copy_file(path(4), path(3), fs::copy_options::overwrite_existing);  // replication 1 where 0 belongs
  // What this process saw no longer matters for files it reads again in full.
  const auto index = batch::build_sweep_index(sweep, plan, scenarios, {}, out, 2);
  EXPECT_EQ(index.status[0], "failed");
  EXPECT_EQ(index.error[0], "damaged (not an HDF5 file)");
  EXPECT_EQ(index.status[1], "failed");
  EXPECT_EQ(index.error[1], "damaged (empty file (0 bytes))");
  EXPECT_EQ(index.status[2], "missing");
  EXPECT_EQ(index.error[2], "");
  EXPECT_EQ(index.status[3], "missing");
  EXPECT_EQ(index.error[3], "another run (replication 1, expected 0)");
  for (std::size_t i = 4; i < index.status.size(); ++i) EXPECT_EQ(index.status[i], "done") << i;
  const auto file = batch::write_sweep_index_file(sweep, plan, scenarios, ran, out);
  EXPECT_EQ(file.done, 8u);
  EXPECT_EQ(file.failed, 2u);
  ASSERT_EQ(file.problems.size(), 3u);
  EXPECT_EQ(file.problems[2].item, 3u);
  EXPECT_EQ(file.problems[2].status, "missing");
}

// Required: a policy run whose resolved scenario is the baseline's (a grid
// key overriding the only thing the policy sets) is flagged in /runs.
TEST(SweepIndex, FlagsRunsThatResolveToTheBaseline) {
  const test::TempDir dir("sweep_index_same");
  (void)dir.write("tiny.toml", test::kTinyScenario);
  (void)dir.write("big.toml", "[policy]\nname = \"big\"\n[parameters]\ncohort = 90\n");
  (void)dir.write("senior.toml", test::kSeniorPolicy);
  const auto path = dir.write("sweep.toml", R"toml([sweep]
name = "same"
scenario = "tiny.toml"
policies = ["big.toml", "senior.toml"]
[grid]
"parameters.cohort" = [60, 90]
)toml");
  const auto sweep = scenario::load_sweep_file(path);
  const auto plan = batch::make_sweep_plan(sweep);
  const batch::SweepScenarios scenarios(sweep, plan);
  const auto out = (dir.path() / "out").string();
  fs::create_directories(out);
  const auto index = batch::build_sweep_index(sweep, plan, scenarios, {}, out);
  ASSERT_EQ(index.same_as_baseline.size(), plan.items().size());
  for (const auto& it : plan.items())
    EXPECT_EQ(index.same_as_baseline[it.index], plan.variants()[it.variant].name == "big" ? 1 : 0) << it.file;
}

namespace {
// NaN-aware equality of indicator values.
bool same_value(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }
}  // namespace

// sweep.h5 carries, without any run file: each variant's dictionary, each
// done run's census by state and its indicators (exactly what `compare`
// computes for that run), and the paired comparison rows per sample.
TEST(SweepIndex, CarriesDictionariesRunCensusAndIndicators) {
  const test::TempDir dir("sweep_index_indicators");
  const auto sweep = scenario::load_sweep_file(test::write_tiny_sweep(dir));
  const auto plan = batch::make_sweep_plan(sweep);
  const batch::SweepScenarios scenarios(sweep, plan);
  const auto out = (dir.path() / "out").string();
  const auto ran = batch::run_sweep_items(plan, scenarios, sweep.seed, sweep.record, plan.shard({0, 1}), out, 2,
                                          nullptr, {});
  ASSERT_EQ(ran.ran, 12u);
  const auto index = batch::build_sweep_index(sweep, plan, scenarios, ran, out);
  ASSERT_EQ(index.dictionaries.size(), 2u);
  EXPECT_EQ(index.dictionaries[0].variant, "baseline");
  EXPECT_EQ(index.dictionaries[1].variant, plan.variants()[1].name);
  // The policy adds a state: its dictionary is its own.
  EXPECT_GT(index.dictionaries[1].spec->states.size(), index.dictionaries[0].spec->states.size());
  // /policy_texts: the policy variant's policy as its first sample applied it; none for the baseline.
  EXPECT_TRUE(index.dictionaries[0].policies.empty());
  const auto* first = scenarios.get(plan.slot(1, 0));
  ASSERT_NE(first, nullptr);
  ASSERT_EQ(first->policy_texts.size(), 1u);
  EXPECT_EQ(index.dictionaries[1].policies, std::vector<std::string>{first->policy_texts[0].first});
  EXPECT_EQ(index.dictionaries[1].policy_texts, std::vector<std::string>{first->policy_texts[0].second});
  EXPECT_NE(index.dictionaries[1].policy_texts[0].find("[policy]"), std::string::npos);
  std::size_t row = 0, census_row = 0;
  for (const auto& it : plan.items()) {
    const auto* loaded = scenarios.get(plan.slot(it.variant, it.sample));
    batch::RunRequest request;
    request.variant = plan.variants()[it.variant].name;
    request.master_seed = sweep.seed;
    request.replication = it.replication;
    request.record_level = sweep.record;
    const auto again = batch::run_to_file(*loaded, request, (dir.path() / "again.h5").string(),
                                          batch::Indicators::computed);
    ASSERT_EQ(again.error, "");
    ASSERT_FALSE(again.indicators.names.empty());
    for (std::size_t i = 0; i < again.indicators.names.size(); ++i, ++row) {
      ASSERT_LT(row, index.indicators.value.size());
      EXPECT_EQ(index.indicators.run_index[row], static_cast<std::int32_t>(it.index));
      const auto code = static_cast<std::size_t>(index.indicators.indicator[row]);
      ASSERT_LT(code, index.indicators.names.size());
      EXPECT_EQ(index.indicators.names[code], again.indicators.names[i]);
      EXPECT_TRUE(same_value(index.indicators.value[row], again.indicators.values[i]))
          << it.file << " " << again.indicators.names[i];
    }
    fs::remove(dir.path() / "again.h5");
    // /runs_census: every (period, state) cell of the run, headcount summed over attributes.
    const auto census = output::read_census_summary(batch::item_path(out, it));
    for (std::size_t p = 0; p < census.headcount.size(); ++p)
      for (std::size_t s = 0; s < loaded->spec.states.size(); ++s, ++census_row) {
        ASSERT_LT(census_row, index.runs_census.headcount.size());
        EXPECT_EQ(index.runs_census.run_index[census_row], static_cast<std::int32_t>(it.index));
        EXPECT_EQ(index.runs_census.period[census_row], static_cast<std::int32_t>(p));
        EXPECT_EQ(index.runs_census.state[census_row], static_cast<std::int32_t>(s));
        EXPECT_EQ(index.runs_census.headcount[census_row], static_cast<std::int32_t>(census.headcount[p][s]));
        EXPECT_EQ(index.runs_census.fte[census_row], census.fte[p][s]);
      }
  }
  EXPECT_EQ(row, index.indicators.value.size());
  // Each name once in /indicator_names.
  EXPECT_EQ(std::set<std::string>(index.indicators.names.begin(), index.indicators.names.end()).size(),
            index.indicators.names.size());
  EXPECT_EQ(census_row, index.runs_census.headcount.size());
  // /indicators_paired: per sample, compare's rows over the replications;
  // the FTE difference is the mean of the paired per-run differences.
  const auto& t = index.indicators_paired.table;
  ASSERT_EQ(index.indicators_paired.sample.size(), t.size());
  const std::string fte = "qualified FTE in post at the horizon";
  std::size_t checked = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    EXPECT_EQ(t.policy[i], plan.variants()[1].name);
    if (t.indicator[i] != fte) continue;
    const auto k = static_cast<std::size_t>(index.indicators_paired.sample[i]);
    double sum = 0;
    for (std::size_t r = 0; r < plan.replications(); ++r) {
      auto value = [&](std::size_t v) {
        const auto run = static_cast<std::int32_t>(plan.item(v, k, r).index);
        for (std::size_t j = 0; j < index.indicators.value.size(); ++j)
          if (index.indicators.run_index[j] == run &&
              index.indicators.names[static_cast<std::size_t>(index.indicators.indicator[j])] == fte)
            return index.indicators.value[j];
        return std::nan("");
      };
      sum += value(1) - value(0);
    }
    EXPECT_NEAR(t.difference[i], sum / static_cast<double>(plan.replications()), 1e-9) << "sample " << k;
    EXPECT_EQ(t.replications[i], 3);
    ++checked;
  }
  EXPECT_EQ(checked, 2u);  // one row per sample
}

// The index takes what each run read back as it finished and reads none of
// this process's files again unless one changed (size or modification time):
// a file overwritten in place with its stamp restored is still "done" from
// what was streamed, while an index from the files alone finds it damaged.
TEST(SweepIndex, UsesWhatRunsReadBackAsTheyFinished) {
  const test::TempDir dir("sweep_index_streamed");
  const auto sweep = scenario::load_sweep_file(test::write_tiny_sweep(dir));
  const auto plan = batch::make_sweep_plan(sweep);
  const batch::SweepScenarios scenarios(sweep, plan);
  const auto out = (dir.path() / "out").string();
  const auto ran = batch::run_sweep_items(plan, scenarios, sweep.seed, sweep.record, plan.shard({0, 1}), out, 2,
                                          nullptr, {});
  const auto streamed = batch::build_sweep_index(sweep, plan, scenarios, ran, out);
  const auto path = batch::item_path(out, plan.items()[5]);
  const auto stamp = fs::last_write_time(path);
  const std::string garbage(fs::file_size(path), 'x');
  std::ofstream(path, std::ios::trunc | std::ios::binary) << garbage;
  fs::last_write_time(path, stamp);
  const auto again = batch::build_sweep_index(sweep, plan, scenarios, ran, out);
  EXPECT_EQ(again.status[5], "done");
  EXPECT_EQ(again.indicators.value.size(), streamed.indicators.value.size());
  EXPECT_EQ(again.runs_census.headcount, streamed.runs_census.headcount);
  const auto from_files = batch::build_sweep_index(sweep, plan, scenarios, {}, out);
  EXPECT_EQ(from_files.status[5], "failed");
  EXPECT_LT(from_files.indicators.value.size(), streamed.indicators.value.size());
  // A changed stamp sends the file to a full check.
  fs::last_write_time(path, stamp + std::chrono::seconds(1));
  EXPECT_EQ(batch::build_sweep_index(sweep, plan, scenarios, ran, out).status[5], "failed");
}
