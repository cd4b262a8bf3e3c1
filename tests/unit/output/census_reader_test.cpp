// The labelled census of a run file and a sweep's run list, as `traineesim
// export` reads them: labels from the dictionaries the columns name, every
// cell of the census, and one-line errors naming the file.
#include "output/census_reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "output/atomic_file.hpp"
#include "sim/batch/replications.hpp"
#include "tests/support/scenario_text.hpp"
#include "tests/support/tiny_scenario.hpp"

using namespace tsim;

TEST(CensusReader, LabelsEveryCellOfTheCensus) {
  const test::TempDir dir("census_reader");
  const auto loaded = test::load(test::kTinyScenario);
  batch::ReplicationSettings settings;
  settings.master_seed = 3;
  settings.replications = 2;
  settings.record_level = model::RecordLevel::census;
  const auto runs = batch::run_replications(loaded, "baseline", dir.path().string(), settings, {});
  ASSERT_EQ(runs.at(1).error, "");
  const auto c = output::read_labelled_census(runs.at(1).path);
  EXPECT_EQ(c.start_date, "2020-04-01");
  EXPECT_EQ(c.replication, 1);
  EXPECT_EQ(c.attribute_names, (std::vector<std::string>{"route", "sex"}));
  // Every (period, state, route, sex) cell: 4 periods (calendar years ending 2020-12-31, 2021-12-31,
  // 2022-12-31, then the horizon 2023-04-01) x 3 states x (main + initial stock) x 2 sexes.
  EXPECT_EQ(std::set<std::int32_t>(c.period.begin(), c.period.end()).size(), 4u);
  ASSERT_EQ(c.period.size(), 4u * 3u * 2u * 2u);
  EXPECT_EQ(std::set<std::string>(c.state.begin(), c.state.end()), (std::set<std::string>{"left", "post", "trainee"}));
  EXPECT_EQ(std::set<std::string>(c.attributes[0].begin(), c.attributes[0].end()),
            (std::set<std::string>{"initial_stock", "main"}));
  EXPECT_EQ(std::set<std::string>(c.attributes[1].begin(), c.attributes[1].end()), (std::set<std::string>{"F", "M"}));
  for (std::size_t i = 0; i < c.state.size(); ++i) {
    EXPECT_EQ(c.profession[i], c.state[i] == "left" ? "" : "CWP");
    EXPECT_EQ(c.band[i], c.state[i] == "post" ? 5 : c.state[i] == "trainee" ? 4 : -1);
  }
  EXPECT_GT(*std::max_element(c.headcount.begin(), c.headcount.end()), 0);
  EXPECT_GT(std::count(c.headcount.begin(), c.headcount.end(), 0), 0);  // zero cells are rows too
}

TEST(CensusReader, ErrorsNameTheFile) {
  const test::TempDir dir("census_reader_bad");
  const auto text = dir.write("run_0.h5", "not HDF5");
  try {
    (void)output::read_labelled_census(text);
    FAIL() << "read a text file";
  } catch (const output::OutputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(text + ": ", 0), 0u) << e.what();
  }
  EXPECT_THROW((void)output::read_sweep_runs(text), output::OutputError);
}
