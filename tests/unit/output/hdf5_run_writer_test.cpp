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

// A string attribute of a dataset, "" if it has none.
std::string read_string_attribute(hid_t file, const std::string& dataset, const char* name) {
  if (H5Aexists_by_name(file, dataset.c_str(), name, H5P_DEFAULT) <= 0) return "";
  const hid_t a = H5Aopen_by_name(file, dataset.c_str(), name, H5P_DEFAULT, H5P_DEFAULT);
  const hid_t t = H5Aget_type(a);
  char* value = nullptr;
  H5Aread(a, t, &value);
  std::string out = value ? value : "";
  H5free_memory(value);
  H5Tclose(t);
  H5Aclose(a);
  return out;
}

bool same_doubles(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

// Temporary files in a folder.
int partials(const fs::path& dir) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += output::is_partial_name(e.path().filename().string());
  return n;
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
  EXPECT_EQ(partials(dir), 0);
  EXPECT_GT(writer.bytes_written(), 0u);

  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  // Every column of every table, as the schema declares it, with its role.
  std::size_t columns = 0;
  for (model::TableId id : model::kAllTables) {
    const auto& table = mem.table(id);
    ASSERT_GT(table.size(), 0u) << model::to_string(id);
    for (std::size_t c = 0; c < table.column_count(); ++c) {
      const auto& spec = table.schema().columns()[c];
      const std::string where = std::string("/") + model::to_string(id) + "/" + spec.name;
      if (const auto* ints = std::get_if<std::vector<std::int32_t>>(&table.column(c)))
        EXPECT_EQ(read_column<std::int32_t>(f, where), *ints) << where;
      else
        EXPECT_TRUE(same_doubles(read_column<double>(f, where), std::get<std::vector<double>>(table.column(c)))) << where;
      EXPECT_EQ(read_string_attribute(f, where, "role"), model::to_string(spec.role)) << where;
      EXPECT_EQ(read_string_attribute(f, where, "dictionary"), model::dictionary_of(spec.role, spec.name)) << where;
      ++columns;
    }
  }
  EXPECT_EQ(columns, 5u + 8u + 7u + 10u + 18u);  // census and flows add 3 census attributes, persons 2 attributes
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
    EXPECT_EQ(partials(dir), 1);
    // Destroyed without finish(): as when a run throws.
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(partials(dir), 0);
  fs::remove_all(dir);
}

TEST(Hdf5RunWriter, UnwritablePlaceIsAnError) {
  const auto l = scenario::load_scenario_file(test::source_path("scenarios/bench/pipeline.toml"), {{"parameters.cohort=50"}});
  output::Hdf5RunWriter w("/nonexistent-dir/run.h5");
  EXPECT_THROW(w.begin(header_for(l)), output::OutputError);
}

// Compressing on the writer's own thread changes nothing in the file: chunks
// go in in the order the run produced them. Cohort 8,000 gives ~80,000 people
// and ~310,000 events, so /events spans five chunks and every /persons column
// one whole chunk and a part: written after the simulation, those are
// compressed by both threads at once (chunks may finish out of order).
TEST(Hdf5RunWriter, BackgroundCompressionGivesTheSameBytes) {
  const auto l = scenario::load_scenario_file(test::source_path("scenarios/bench/pipeline.toml"), {{"parameters.cohort=8000"}});
  const auto dir = temp_dir("background");
  {
    output::Hdf5RunWriter inline_writer((dir / "inline.h5").string(), false);
    run_into(l, inline_writer);
  }
  const std::string a = slurp(dir / "inline.h5");
  EXPECT_GT(a.size(), 1'000'000u);
  for (int k = 0; k < 3; ++k) {
    {
      output::Hdf5RunWriter background((dir / "background.h5").string(), true);
      run_into(l, background);
    }
    EXPECT_EQ(a, slurp(dir / "background.h5")) << "attempt " << k;
    fs::remove(dir / "background.h5");
  }
  fs::remove_all(dir);
}

// A burst of whole chunks fills the queue; when the file is finished the
// run's thread compresses the rest while the writer's thread does: chunks may
// finish out of order, but the file is the inline writer's, byte for byte,
// every time.
TEST(Hdf5RunWriter, CompressingOnBothThreadsGivesTheSameBytes) {
  const auto l = scenario::load_scenario_file(test::source_path("scenarios/bench/pipeline.toml"), {{"parameters.cohort=50"}});
  const auto dir = temp_dir("both_threads");
  const model::RunHeader h = header_for(l);
  model::TableBatch rows(h.schema->table(model::TableId::events));
  for (int i = 0; i < 600'000; ++i) {  // 10 whole chunks a column, 5 columns, in one append
    namespace c = model::cols::events;
    rows[c::day].push_back(i * 0.01);
    rows[c::person_id].push_back(i % 7919);
    rows[c::event].push_back(i % 3);
    rows[c::from_state].push_back(-1);
    rows[c::to_state].push_back(i % 5);
  }
  const auto write = [&](const fs::path& path, bool background) {
    output::Hdf5RunWriter w(path.string(), background);
    w.begin(h);
    w.append(rows);
    w.append(rows);
    w.finish();
  };
  write(dir / "inline.h5", false);
  const std::string expected = slurp(dir / "inline.h5");
  EXPECT_GT(expected.size(), 1'000'000u);
  for (int k = 0; k < 4; ++k) {
    write(dir / "both.h5", true);
    EXPECT_EQ(expected, slurp(dir / "both.h5")) << "attempt " << k;
    fs::remove(dir / "both.h5");
  }
  fs::remove_all(dir);
}

// A writer abandoned while its thread still has chunks queued stops cleanly
// and leaves nothing behind.
TEST(Hdf5RunWriter, AbandonedWhileCompressingLeavesNothing) {
  const auto l = scenario::load_scenario_file(test::source_path("scenarios/bench/pipeline.toml"), {{"parameters.cohort=50"}});
  const auto dir = temp_dir("abandoned");
  const auto path = (dir / "run.h5").string();
  {
    output::Hdf5RunWriter w(path);
    const model::RunHeader h = header_for(l);
    w.begin(h);
    model::TableBatch rows(h.schema->table(model::TableId::events));
    for (int i = 0; i < 300'000; ++i) {  // several whole chunks
      namespace c = model::cols::events;
      rows[c::day].push_back(i * 0.01);
      rows[c::person_id].push_back(i);
      rows[c::event].push_back(0);
      rows[c::from_state].push_back(-1);
      rows[c::to_state].push_back(0);
    }
    w.append(rows);
    EXPECT_EQ(partials(dir), 1);
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(partials(dir), 0);
  fs::remove_all(dir);
}
