#include "output/run_file_reader.hpp"

#include <fmt/format.h>
#include <hdf5.h>
#include <mutex>

#include "output/atomic_file.hpp"
#include "output/hdf5_columns.hpp"

namespace tsim::output {

namespace {

bool read_int_attr(hid_t obj, const char* name, std::int64_t& out) {
  if (H5Aexists(obj, name) <= 0) return false;
  const hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  if (a < 0) return false;
  const bool ok = H5Aread(a, H5T_NATIVE_INT64, &out) >= 0;
  H5Aclose(a);
  return ok;
}

bool read_string_attr(hid_t obj, const char* name, std::string& out) {
  if (H5Aexists(obj, name) <= 0) return false;
  const hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  if (a < 0) return false;
  const hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  char* value = nullptr;
  const bool ok = H5Aread(a, t, &value) >= 0 && value;
  if (ok) out = value;
  if (value) H5free_memory(value);
  H5Tclose(t);
  H5Aclose(a);
  return ok;
}

template <class T>
std::vector<T> read_column(hid_t file, const std::string& path, hid_t mtype) {
  const hid_t ds = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  if (ds < 0) throw OutputError(fmt::format("no dataset {}", path));
  const hid_t space = H5Dget_space(ds);
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space, &n, nullptr);
  std::vector<T> out(n);
  const bool ok = n == 0 || H5Dread(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) >= 0;
  H5Sclose(space);
  H5Dclose(ds);
  if (!ok) throw OutputError(fmt::format("cannot read {}", path));
  return out;
}

}  // namespace

bool run_file_is_done(const std::string& path, const ExpectedRun& expected) {
  const std::lock_guard<std::recursive_mutex> lock(hdf5_library_mutex());
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  if (H5Fis_hdf5(path.c_str()) <= 0) return false;
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) return false;
  std::int64_t complete = 0, version = 0, seed = -1, replication = -1;
  std::string schema, sha;
  const bool ok = read_int_attr(f, "complete", complete) && complete == 1 && read_string_attr(f, "schema", schema) &&
                  schema == "traineesim.run" && read_int_attr(f, "schema_version", version) && version == 1 &&
                  read_string_attr(f, "scenario_sha256", sha) && sha == expected.scenario_sha256 &&
                  read_int_attr(f, "master_seed", seed) && seed == expected.master_seed &&
                  read_int_attr(f, "replication", replication) && replication == expected.replication;
  H5Fclose(f);
  return ok;
}

CensusSummary read_census_summary(const std::string& path) {
  const std::lock_guard<std::recursive_mutex> lock(hdf5_library_mutex());
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) throw OutputError(fmt::format("cannot open {}", path));
  CensusSummary out;
  try {
    out.states = read_column<std::int32_t>(f, "/dictionary/states/code", H5T_NATIVE_INT32).size();
    const auto end = read_column<double>(f, "/census/period_end_day", H5T_NATIVE_DOUBLE);
    const auto period = read_column<std::int32_t>(f, "/census/period", H5T_NATIVE_INT32);
    const auto state = read_column<std::int32_t>(f, "/census/state", H5T_NATIVE_INT32);
    const auto count = read_column<std::int32_t>(f, "/census/headcount", H5T_NATIVE_INT32);
    for (std::size_t i = 0; i < period.size(); ++i) {
      const auto p = static_cast<std::size_t>(period[i]);
      while (out.headcount.size() <= p) {
        out.headcount.emplace_back(out.states, 0.0);
        out.period_end_day.push_back(0);
      }
      out.period_end_day[p] = end[i];
      out.headcount[p][static_cast<std::size_t>(state[i])] += count[i];
    }
  } catch (...) {
    H5Fclose(f);
    throw;
  }
  H5Fclose(f);
  return out;
}

}  // namespace tsim::output
