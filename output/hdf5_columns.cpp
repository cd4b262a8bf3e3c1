#include "output/hdf5_columns.hpp"

#include <cstdio>
#include <fmt/format.h>

#include "output/atomic_file.hpp"

namespace tsim::output {

namespace {
hid_t check(hid_t id, const char* what) {
  if (id < 0) throw OutputError(fmt::format("HDF5 failed to {}", what));
  return id;
}

hid_t utf8_string_type() {
  const hid_t st = H5Tcopy(H5T_C_S1);
  H5Tset_size(st, H5T_VARIABLE);
  H5Tset_cset(st, H5T_CSET_UTF8);
  return st;
}

// One chunked 1-D dataset written whole (deflate 4, shuffle for integers).
void column(hid_t group, const char* name, const void* data, hsize_t n, hid_t ftype, hid_t mtype, bool integer,
            bool compress) {
  const hsize_t chunk = std::max<hsize_t>(1, std::min<hsize_t>(65536, n)), unlimited = H5S_UNLIMITED;
  const hid_t space = check(H5Screate_simple(1, &n, &unlimited), "create a dataspace");
  const hid_t dcpl = check(H5Pcreate(H5P_DATASET_CREATE), "create dataset properties");
  H5Pset_obj_track_times(dcpl, false);
  H5Pset_chunk(dcpl, 1, &chunk);
  if (integer) H5Pset_shuffle(dcpl);
  if (compress) H5Pset_deflate(dcpl, 4);
  const hid_t ds = H5Dcreate2(group, name, ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  H5Pclose(dcpl);
  H5Sclose(space);
  check(ds, "create a dataset");
  const bool ok = n == 0 || H5Dwrite(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0;
  H5Dclose(ds);
  if (!ok) throw OutputError(fmt::format("HDF5 failed to write {}", name));
}
}  // namespace

void write_column(hid_t group, const char* name, const std::vector<double>& v) {
  column(group, name, v.data(), v.size(), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, false, true);
}

void write_column(hid_t group, const char* name, const std::vector<std::int32_t>& v) {
  column(group, name, v.data(), v.size(), H5T_STD_I32LE, H5T_NATIVE_INT32, true, true);
}

void write_column(hid_t group, const char* name, const std::vector<std::string>& v) {
  std::vector<const char*> ptrs;
  for (const auto& s : v) ptrs.push_back(s.c_str());
  const hid_t st = utf8_string_type();
  try {
    column(group, name, ptrs.data(), ptrs.size(), st, st, false, false);
  } catch (...) {
    H5Tclose(st);
    throw;
  }
  H5Tclose(st);
}

void write_attribute(hid_t obj, const char* name, const std::string& value) {
  const hid_t st = utf8_string_type();
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t a = H5Acreate2(obj, name, st, space, H5P_DEFAULT, H5P_DEFAULT);
  const char* p = value.c_str();
  const bool ok = a >= 0 && H5Awrite(a, st, &p) >= 0;
  if (a >= 0) H5Aclose(a);
  H5Sclose(space);
  H5Tclose(st);
  if (!ok) throw OutputError(fmt::format("HDF5 failed to write attribute {}", name));
}

void write_attribute(hid_t obj, const char* name, std::int32_t value) {
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t a = H5Acreate2(obj, name, H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT);
  const bool ok = a >= 0 && H5Awrite(a, H5T_NATIVE_INT32, &value) >= 0;
  if (a >= 0) H5Aclose(a);
  H5Sclose(space);
  if (!ok) throw OutputError(fmt::format("HDF5 failed to write attribute {}", name));
}

hid_t create_group(hid_t parent, const char* name) {
  const hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
  H5Pset_obj_track_times(gcpl, false);
  const hid_t g = H5Gcreate2(parent, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
  H5Pclose(gcpl);
  return check(g, "create a group");
}

hid_t create_file(const std::string& partial) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
  H5Pset_obj_track_times(fcpl, false);
  const hid_t f = H5Fcreate(partial.c_str(), H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
  H5Pclose(fcpl);
  if (f < 0) throw OutputError(fmt::format("cannot create {}", partial));
  return f;
}

void write_file_atomically(const std::string& path, const std::function<void(hid_t)>& body) {
  const std::string partial = partial_path(path);
  {
    const std::lock_guard<std::recursive_mutex> lock(hdf5_library_mutex());
    const hid_t f = create_file(partial);
    try {
      body(f);
      write_attribute(f, "complete", 1);
    } catch (...) {
      H5Fclose(f);
      std::remove(partial.c_str());
      throw;
    }
    if (H5Fclose(f) < 0) throw OutputError(fmt::format("cannot close {}", partial));
  }
  publish(partial, path);
}

void write_text(hid_t parent, const char* name, const std::string& text) {
  const hid_t st = utf8_string_type();
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_obj_track_times(dcpl, false);
  const hid_t ds = H5Dcreate2(parent, name, st, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  const char* p = text.c_str();
  const bool ok = ds >= 0 && H5Dwrite(ds, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, &p) >= 0;
  if (ds >= 0) H5Dclose(ds);
  H5Pclose(dcpl);
  H5Sclose(space);
  H5Tclose(st);
  if (!ok) throw OutputError(fmt::format("HDF5 failed to write {}", name));
}

}  // namespace tsim::output
