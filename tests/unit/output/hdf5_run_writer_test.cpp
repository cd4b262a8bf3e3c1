#include "output/hdf5_run_writer.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "output/atomic_file.hpp"
#include "sim/batch/run_header.hpp"
#include "sim/batch/run_one.hpp"
#include "sim/model/memory_sink.hpp"
#include "sim/model/run.hpp"
#include "tests/support/scenario_text.hpp"

using namespace tsim;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir(const std::string& name) {
  auto d = fs::temp_directory_path() / ("tsim_output_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

model::RunHeader header_for(const scenario::LoadedScenario& l) {
  return batch::make_run_header(l, "baseline", 4, 0, model::RecordLevel::full);
}

void run_into(const scenario::LoadedScenario& l, model::RunSink& sink) {
  batch::RunRequest request;
  request.master_seed = 4;
  (void)batch::run_one(l, request, sink);
}

template <class T>
std::vector<T> read_column(hid_t file, const std::string& path) {
  const hid_t ds = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  EXPECT_GE(ds, 0) << path;
  if (ds < 0) return {};
  const hid_t space = H5Dget_space(ds);
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space, &n, nullptr);
  std::vector<T> out(n);
  if (n) H5Dread(ds, std::is_same_v<T, double> ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data());
  H5Sclose(space);
  H5Dclose(ds);
  return out;
}

bool same_doubles(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

// The two backends of the sink interface agree, column for column.
TEST(Hdf5RunWriter, AgreesWithTheMemorySink) {
  const auto l = scenario::load_scenario_file(test::source_path("scenarios/cyp_psychological_professions.toml"));
  const auto dir = temp_dir("agree");
  const auto path = (dir / "run.h5").string();
  model::MemorySink mem;
  run_into(l, mem);
  output::Hdf5RunWriter writer(path);
  run_into(l, writer);
  EXPECT_FALSE(fs::exists(output::partial_path(path)));
  EXPECT_GT(writer.bytes_written(), 0u);

  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  std::vector<double> day;
  std::vector<std::int32_t> person, event, from, to;
  for (const auto& e : mem.event_log) {
    day.push_back(e.day);
    person.push_back(e.person_id);
    event.push_back(e.event);
    from.push_back(e.from_state);
    to.push_back(e.to_state);
  }
  EXPECT_EQ(read_column<double>(f, "/events/day"), day);
  EXPECT_EQ(read_column<std::int32_t>(f, "/events/person_id"), person);
  EXPECT_EQ(read_column<std::int32_t>(f, "/events/event"), event);
  EXPECT_EQ(read_column<std::int32_t>(f, "/events/from_state"), from);
  EXPECT_EQ(read_column<std::int32_t>(f, "/events/to_state"), to);
  EXPECT_EQ(read_column<std::int32_t>(f, "/census/headcount"), mem.census_table.headcount);
  EXPECT_EQ(read_column<std::int32_t>(f, "/census/ethnicity"), mem.census_table.by[0]);
  EXPECT_EQ(read_column<std::int32_t>(f, "/census/region"), mem.census_table.by[1]);
  EXPECT_EQ(read_column<std::int32_t>(f, "/census/route"), mem.census_table.by[2]);
  EXPECT_EQ(read_column<double>(f, "/census/fte"), mem.census_table.fte);
  EXPECT_EQ(read_column<std::int32_t>(f, "/flows/count"), mem.flow_table.count);
  EXPECT_EQ(read_column<std::int32_t>(f, "/pools/capacity"), mem.pool_table.capacity);
  EXPECT_TRUE(same_doubles(read_column<double>(f, "/pools/mean_wait_days"), mem.pool_table.mean_wait_days));
  EXPECT_TRUE(same_doubles(read_column<double>(f, "/persons/exit_day"), mem.person_table.exit_day));
  EXPECT_TRUE(same_doubles(read_column<double>(f, "/persons/qualified_day"), mem.person_table.qualified_day));
  EXPECT_EQ(read_column<std::int32_t>(f, "/persons/ethnicity"), mem.person_table.attributes[0]);
  EXPECT_EQ(read_column<std::int32_t>(f, "/dictionary/states/band").size(), l.spec.states.size());
  std::int32_t complete = 0;
  const hid_t a = H5Aopen(f, "complete", H5P_DEFAULT);
  H5Aread(a, H5T_NATIVE_INT32, &complete);
  H5Aclose(a);
  EXPECT_EQ(complete, 1);
  H5Fclose(f);
  fs::remove_all(dir);
}

TEST(Hdf5RunWriter, SameRunSameBytes) {
  const auto l = scenario::load_scenario_file(test::source_path("scenarios/bench/pipeline.toml"), {{"parameters.cohort=200"}});
  const auto dir = temp_dir("bytes");
  {
    output::Hdf5RunWriter a((dir / "a.h5").string());
    run_into(l, a);
    output::Hdf5RunWriter b((dir / "b.h5").string());
    run_into(l, b);
  }
  EXPECT_EQ(slurp(dir / "a.h5"), slurp(dir / "b.h5"));
  fs::remove_all(dir);
}

TEST(Hdf5RunWriter, AnUnfinishedFileNeverAppears) {
  const auto l = scenario::load_scenario_file(test::source_path("scenarios/bench/pipeline.toml"), {{"parameters.cohort=50"}});
  const auto dir = temp_dir("unfinished");
  const auto path = (dir / "run.h5").string();
  {
    output::Hdf5RunWriter w(path);
    w.begin(header_for(l));
    EXPECT_TRUE(fs::exists(output::partial_path(path)));
    // Destroyed without finish(): as when a run throws.
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(output::partial_path(path)));
  fs::remove_all(dir);
}

TEST(Hdf5RunWriter, UnwritablePlaceIsAnError) {
  const auto l = scenario::load_scenario_file(test::source_path("scenarios/bench/pipeline.toml"), {{"parameters.cohort=50"}});
  output::Hdf5RunWriter w("/nonexistent-dir/run.h5");
  EXPECT_THROW(w.begin(header_for(l)), output::OutputError);
}
