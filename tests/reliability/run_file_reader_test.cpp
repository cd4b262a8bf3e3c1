// output::check_run_file on damaged files: each class of damage gives its
// verdict and a reason naming what is wrong, never a crash. The bad files are
// made here from a file the writer wrote: emptied, replaced by text,
// truncated, a chunk's bytes flipped, edited with the HDF5 C API (codes out
// of range, a role removed, another schema version), or another HDF5 file.
#include "output/run_file_reader.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "sim/batch/run_one.hpp"
#include "tests/support/tiny_scenario.hpp"

using namespace tsim;
namespace fs = std::filesystem;
using output::CheckDepth;
using output::RunFileStatus;

namespace {

constexpr std::uint32_t kSeed = 5;

class RunFileReader : public ::testing::Test {
 protected:
  RunFileReader()
      : dir_("run_file_reader"), loaded_(scenario::load_scenario_file(dir_.write("tiny.toml", test::kTinyScenario))) {}

  // A run file written by the writer at `level`, at <dir>/<name>.
  std::string write(const std::string& name, model::RecordLevel level = model::RecordLevel::full) {
    batch::RunRequest request;
    request.master_seed = kSeed;
    request.record_level = level;
    const auto path = (dir_.path() / name).string();
    const auto run = batch::run_to_file(loaded_, request, path, batch::Indicators::none);
    EXPECT_EQ(run.error, "");
    return path;
  }
  output::ExpectedRun expected(model::RecordLevel level = model::RecordLevel::full) const {
    return {loaded_.sha256, kSeed, 0, level, &loaded_.spec};
  }
  output::RunFileCheck check(const std::string& path, model::RecordLevel level = model::RecordLevel::full) const {
    return output::check_run_file(path, expected(level));
  }
  // Opens a file for writing with the C API, lets `edit` change it, closes it.
  static void edit(const std::string& path, const std::function<void(hid_t)>& body) {
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(f, 0) << path;
    body(f);
    H5Fclose(f);
  }
  static void write_int_attribute(hid_t obj, const char* name, int value) {
    if (H5Aexists(obj, name) > 0) H5Adelete(obj, name);
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t a = H5Acreate2(obj, name, H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, H5T_NATIVE_INT, &value);
    H5Aclose(a);
    H5Sclose(space);
  }
  // Sets row `row` of an int32 column (HDF5 compresses the chunk again).
  static void set_int(const std::string& path, const char* column, hsize_t row, int value) {
    edit(path, [&](hid_t f) {
      const hid_t ds = H5Dopen2(f, column, H5P_DEFAULT);
      const hid_t space = H5Dget_space(ds);
      const hsize_t one = 1;
      H5Sselect_hyperslab(space, H5S_SELECT_SET, &row, nullptr, &one, nullptr);
      const hid_t mem = H5Screate_simple(1, &one, nullptr);
      EXPECT_GE(H5Dwrite(ds, H5T_NATIVE_INT, mem, space, H5P_DEFAULT, &value), 0) << column;
      H5Sclose(mem);
      H5Sclose(space);
      H5Dclose(ds);
    });
  }
  // Where a dataset's first chunk lies in the file, and its stored size.
  static std::pair<haddr_t, hsize_t> first_chunk(const std::string& path, const char* column) {
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t ds = H5Dopen2(f, column, H5P_DEFAULT);
    const hid_t space = H5Dget_space(ds);
    hsize_t offset = 0, size = 0;
    unsigned mask = 0;
    haddr_t addr = 0;
    EXPECT_GE(H5Dget_chunk_info(ds, space, 0, &offset, &mask, &addr, &size), 0);
    H5Sclose(space);
    H5Dclose(ds);
    H5Fclose(f);
    return {addr, size};
  }
  std::string copy(const std::string& from, const std::string& name) const {
    const auto to = (dir_.path() / name).string();
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    return to;
  }

  test::TempDir dir_;
  scenario::LoadedScenario loaded_;
};

void expect_verdict(const output::RunFileCheck& c, RunFileStatus status, const std::string& reason_part) {
  EXPECT_EQ(output::to_string(c.status), std::string(output::to_string(status))) << c.reason;
  EXPECT_NE(c.reason.find(reason_part), std::string::npos) << "reason: " << c.reason;
  EXPECT_EQ(c.reason.find('\n'), std::string::npos) << "one line: " << c.reason;
}

}  // namespace

TEST_F(RunFileReader, AFreshFileVerifiesAtEveryDepth) {
  for (const auto level : {model::RecordLevel::full, model::RecordLevel::census, model::RecordLevel::summary}) {
    const auto path = write(std::string("run_") + model::to_string(level) + ".h5", level);
    const auto full = check(path, level);
    EXPECT_EQ(full.status, RunFileStatus::done) << model::to_string(level) << ": " << full.reason;
    const auto quick = output::check_run_file(path, expected(level), CheckDepth::attributes);
    EXPECT_EQ(quick.status, RunFileStatus::done);
    // Both depths read the same census, and the summary reader agrees.
    EXPECT_EQ(full.census.headcount, quick.census.headcount);
    EXPECT_EQ(full.census.period_end_day, output::read_census_summary(path).period_end_day);
    EXPECT_EQ(full.census.headcount.size(), 4u);  // calendar years from April, over 3 years
  }
}

TEST_F(RunFileReader, NothingThereIsMissing) {
  const auto c = check((dir_.path() / "absent.h5").string());
  EXPECT_EQ(c.status, RunFileStatus::missing);
  EXPECT_EQ(c.reason, "");
}

TEST_F(RunFileReader, ZeroBytesIsDamaged) {
  expect_verdict(check(dir_.write("empty.h5", "")), RunFileStatus::damaged, "empty file (0 bytes)");
}

TEST_F(RunFileReader, TextIsDamaged) {
  expect_verdict(check(dir_.write("text.h5", "run 3 finished fine\n")), RunFileStatus::damaged, "not an HDF5 file");
}

TEST_F(RunFileReader, TruncatedIsDamaged) {
  const auto path = copy(write("run.h5"), "truncated.h5");
  const auto size = fs::file_size(path);
  fs::resize_file(path, size / 2);
  expect_verdict(check(path), RunFileStatus::damaged, "truncated (" + std::to_string(size / 2) + " of " +
                                                          std::to_string(size) + " bytes)");
}

TEST_F(RunFileReader, FlippedChunkBytesAreDamaged) {
  const auto path = write("run.h5");
  const auto [addr, size] = first_chunk(path, "/events/person_id");
  ASSERT_GT(size, 16u);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(addr + size / 2));
    const char byte = static_cast<char>(f.get() ^ 0x10);  // one bit
    f.seekp(static_cast<std::streamoff>(addr + size / 2));
    f.put(byte);
  }
  // The root attributes alone do not notice; reading the data does (zlib's
  // checksum, or a stream that no longer decodes: which depends on the bit).
  EXPECT_EQ(output::check_run_file(path, expected(), CheckDepth::attributes).status, RunFileStatus::done);
  expect_verdict(check(path), RunFileStatus::damaged, "chunk 0 of /events/person_id ");
}

TEST_F(RunFileReader, AnotherHdf5FileIsDamaged) {
  const auto path = (dir_.path() / "foreign.h5").string();
  const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  H5Gclose(H5Gcreate2(f, "measurements", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  H5Fclose(f);
  expect_verdict(check(path), RunFileStatus::damaged, "not a traineesim run file (no schema attribute)");
}

TEST_F(RunFileReader, CodeOutsideItsDictionaryIsDamaged) {
  const auto path = write("run.h5");
  set_int(path, "/events/to_state", 0, 99);
  expect_verdict(check(path), RunFileStatus::damaged,
                 "/events/to_state row 0: code 99 is not a code of /dictionary/states (-1..2)");
}

TEST_F(RunFileReader, AttributeCodeOutOfRangeIsDamaged) {
  const auto path = write("run.h5", model::RecordLevel::census);
  set_int(path, "/persons/sex", 3, 2);
  expect_verdict(check(path, model::RecordLevel::census), RunFileStatus::damaged,
                 "/persons/sex row 3: code 2 is not a code of /dictionary/attributes/sex (0..1)");
}

TEST_F(RunFileReader, CensusPeriodOutOfRangeIsDamaged) {
  const auto path = write("run.h5", model::RecordLevel::summary);
  set_int(path, "/census/period", 0, 7);
  expect_verdict(check(path, model::RecordLevel::summary), RunFileStatus::damaged,
                 "/census/period row 0: period 7 is outside the scenario's periods 0..3");
}

TEST_F(RunFileReader, AColumnWithoutItsRoleIsDamaged) {
  const auto path = write("run.h5");
  edit(path, [](hid_t f) { EXPECT_GE(H5Adelete_by_name(f, "/flows/from_state", "role", H5P_DEFAULT), 0); });
  expect_verdict(check(path), RunFileStatus::damaged, "/flows/from_state has no role attribute");
}

TEST_F(RunFileReader, AMissingDictionaryIsDamaged) {
  const auto path = write("run.h5");
  edit(path, [](hid_t f) { EXPECT_GE(H5Ldelete(f, "/dictionary/routes", H5P_DEFAULT), 0); });
  expect_verdict(check(path), RunFileStatus::damaged, "no dictionary /dictionary/routes");
}

TEST_F(RunFileReader, ColumnsOfDifferentLengthsAreDamaged) {
  const auto path = write("run.h5");
  edit(path, [](hid_t f) {
    const hid_t ds = H5Dopen2(f, "/pools/capacity", H5P_DEFAULT);
    const hsize_t longer = 1;  // the tiny scenario has no pools: an empty table
    EXPECT_GE(H5Dset_extent(ds, &longer), 0);
    H5Dclose(ds);
  });
  expect_verdict(check(path), RunFileStatus::damaged, "/pools/capacity has 1 rows, the table's first column 0");
}

// An extent that claims far more rows than the file stores (a flipped bit in
// a dataspace) is refused before memory is set aside for it, at either depth.
TEST_F(RunFileReader, AHugeExtentIsDamaged) {
  const auto path = write("run.h5");
  edit(path, [](hid_t f) {
    const hid_t ds = H5Dopen2(f, "/census/state", H5P_DEFAULT);
    const hsize_t huge = hsize_t{1} << 40;
    EXPECT_GE(H5Dset_extent(ds, &huge), 0);
    H5Dclose(ds);
  });
  expect_verdict(output::check_run_file(path, expected(), CheckDepth::attributes), RunFileStatus::damaged,
                 "/census/state claims 1099511627776 rows but stores 1 of their 16777216 chunks");
  expect_verdict(check(path), RunFileStatus::damaged, "/census/state has 1099511627776 rows, the table's first column");
}

TEST_F(RunFileReader, IncompleteIsDamaged) {
  const auto path = write("run.h5");
  edit(path, [](hid_t f) { write_int_attribute(f, "complete", 0); });
  expect_verdict(check(path), RunFileStatus::damaged, "not marked complete");
}

// Text read from the file is escaped, so the reason stays on one line.
TEST_F(RunFileReader, AGarbledRecordLevelIsDamaged) {
  const auto path = write("run.h5");
  edit(path, [](hid_t f) {
    H5Adelete(f, "record_level");
    const hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t a = H5Acreate2(f, "record_level", t, space, H5P_DEFAULT, H5P_DEFAULT);
    const char* garbled = "fu\nll\xff";
    H5Awrite(a, t, &garbled);
    H5Aclose(a);
    H5Sclose(space);
    H5Tclose(t);
  });
  expect_verdict(check(path), RunFileStatus::damaged, "record_level 'fu\\x0all\\xff' is not a record level");
}

TEST_F(RunFileReader, SchemaVersionOneIsAnotherRun) {
  const auto path = write("run.h5");
  edit(path, [](hid_t f) { write_int_attribute(f, "schema_version", 1); });
  expect_verdict(check(path), RunFileStatus::other, "schema version 1, this build writes 2");
}

TEST_F(RunFileReader, AnotherRecordLevelIsAnotherRun) {
  const auto path = write("run.h5", model::RecordLevel::full);
  expect_verdict(check(path, model::RecordLevel::census), RunFileStatus::other, "record level full, expected census");
}

TEST_F(RunFileReader, AnotherSeedOrReplicationIsAnotherRun) {
  const auto path = write("run.h5");
  auto e = expected();
  e.master_seed = kSeed + 1;
  expect_verdict(output::check_run_file(path, e), RunFileStatus::other, "seed 5, expected 6");
  e = expected();
  e.replication = 2;
  expect_verdict(output::check_run_file(path, e), RunFileStatus::other, "replication 0, expected 2");
  e = expected();
  e.scenario_sha256 = "0123456789abcdef";
  expect_verdict(output::check_run_file(path, e), RunFileStatus::other, "written for another scenario");
}

TEST_F(RunFileReader, AnEditedScenarioTextIsDamaged) {
  const auto path = write("run.h5");
  edit(path, [](hid_t f) {
    EXPECT_GE(H5Ldelete(f, "/scenario/resolved", H5P_DEFAULT), 0);
    const hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t ds = H5Dcreate2(f, "/scenario/resolved", t, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const char* text = "[scenario]\nname = \"edited\"\n";
    H5Dwrite(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text);
    H5Dclose(ds);
    H5Sclose(space);
    H5Tclose(t);
  });
  expect_verdict(check(path), RunFileStatus::damaged, "/scenario/resolved does not match scenario_sha256");
}

TEST_F(RunFileReader, AnEditedDictionaryLabelIsDamaged) {
  const auto path = write("run.h5");
  set_int(path, "/dictionary/states/band", 1, 9);
  expect_verdict(check(path), RunFileStatus::damaged, "/dictionary/states/band differs from the scenario's");
}

TEST_F(RunFileReader, AnExtraTableIsDamaged) {
  const auto path = write("run.h5", model::RecordLevel::summary);
  edit(path, [](hid_t f) { H5Gclose(H5Gcreate2(f, "extra", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)); });
  expect_verdict(check(path, model::RecordLevel::summary), RunFileStatus::damaged, "the file: unexpected 'extra'");
}
