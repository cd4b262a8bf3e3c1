#include "output/h5.hpp"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>

namespace tsim::output::h5 {

namespace {
constexpr hsize_t kMaxChunk = 65536;  // elements, as docs/OUTPUT.md says
constexpr unsigned kDeflateLevel = 4;

std::mutex& library_mutex() {
  // The one piece of process-wide state in output/: HDF5 itself is process-wide.
  static std::mutex m;
  return m;
}

hsize_t chunk_for(std::size_t n) { return std::max<hsize_t>(1, std::min<hsize_t>(kMaxChunk, n)); }

template <class V>
std::vector<V> read_column(hid_t file, const std::string& path, hid_t mem_type) {
  if (!exists(file, path)) throw OutputError(fmt::format("no dataset {}", path));
  Handle ds(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose, "open a dataset");
  Handle space(H5Dget_space(ds.get()), H5Sclose, "get a dataspace");
  if (H5Sget_simple_extent_ndims(space.get()) != 1) throw OutputError(fmt::format("{} is not a column", path));
  hsize_t n = 0;
  check(H5Sget_simple_extent_dims(space.get(), &n, nullptr), "read a dataset's size");
  std::vector<V> out(n);
  if (n) check(H5Dread(ds.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read a dataset");
  return out;
}

// One chunked 1-D dataset written whole.
void column(hid_t group, const std::string& name, const void* data, hsize_t n, hid_t file_type, hid_t mem_type,
            bool integer, bool compress) {
  const hsize_t unlimited = H5S_UNLIMITED;
  Handle space(H5Screate_simple(1, &n, &unlimited), H5Sclose, "create a dataspace");
  auto dcpl = column_properties(chunk_for(n), integer, compress);
  Handle ds(H5Dcreate2(group, name.c_str(), file_type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), H5Dclose,
            "create a dataset");
  if (n) check(H5Dwrite(ds.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write a dataset");
}
}  // namespace

std::unique_lock<std::mutex> lock() {
  std::unique_lock<std::mutex> held(library_mutex());
  // Every file is closed explicitly. A file whose close failed (a full disk)
  // stays half-open inside HDF5, and the library's own clean-up at exit
  // crashes on it: so it must not run.
  static std::once_flag once;
  std::call_once(once, [] { H5dont_atexit(); });
  // Errors become exceptions, not stderr noise; HDF5 keeps this per thread.
  thread_local bool quiet = false;
  if (!quiet) quiet = H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr) >= 0;
  return held;
}

Handle::Handle(hid_t id, herr_t (*close)(hid_t), const char* what) : id_(id), close_(close) {
  if (id < 0) throw OutputError(fmt::format("HDF5 failed to {}", what));
}

Handle::Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    reset();
    id_ = o.id_;
    close_ = o.close_;
    o.id_ = -1;
  }
  return *this;
}

bool Handle::reset() noexcept {
  bool ok = true;
  if (id_ >= 0 && close_) ok = close_(id_) >= 0;
  id_ = -1;
  return ok;
}

void check(herr_t rc, const char* what) {
  if (rc < 0) throw OutputError(fmt::format("HDF5 failed to {}", what));
}

void check_io(herr_t rc, const char* what) {
  const int err = errno;  // what the failing write() said, if HDF5 got that far
  if (rc < 0)
    throw OutputError(err ? fmt::format("HDF5 failed to {} ({})", what, std::strerror(err))
                          : fmt::format("HDF5 failed to {}", what));
}

Handle create_file(const std::string& path) {
  Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "create file properties");
  check(H5Pset_obj_track_times(fcpl.get(), false), "turn off root group timestamps");
  errno = 0;
  // H5F_ACC_EXCL opens with O_CREAT | O_EXCL: an existing file, or a link
  // planted at the name, is refused rather than followed or overwritten.
  const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_EXCL, fcpl.get(), H5P_DEFAULT);
  if (f < 0)
    throw OutputError(errno ? fmt::format("cannot create {}: {}", path, std::strerror(errno))
                            : fmt::format("cannot create {}", path));
  return Handle(f, H5Fclose, "create a file");
}

Handle open_file(const std::string& path) {
  if (H5Fis_hdf5(path.c_str()) <= 0) throw OutputError(fmt::format("{}: not an HDF5 file (or missing)", path));
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) throw OutputError(fmt::format("{}: cannot open", path));
  return Handle(f, H5Fclose, "open a file");
}

Handle create_group(hid_t parent, const std::string& name) {
  Handle gcpl(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "create group properties");
  check(H5Pset_obj_track_times(gcpl.get(), false), "turn off group timestamps");
  return Handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), H5Gclose, "create a group");
}

bool exists(hid_t parent, const std::string& path) {
  // H5Lexists needs every intermediate link to exist: walk the path.
  std::string prefix;
  std::size_t start = path.front() == '/' ? 1 : 0;
  if (start) prefix = "/";
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    prefix += path.substr(start, slash - start);
    if (H5Lexists(parent, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    if (slash == std::string::npos) return true;
    prefix += '/';
    start = slash + 1;
  }
  return true;
}

Handle utf8_string_type() {
  Handle t(H5Tcopy(H5T_C_S1), H5Tclose, "copy the string type");
  check(H5Tset_size(t.get(), H5T_VARIABLE), "set a string size");
  check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "set a string character set");
  return t;
}

void write_attribute(hid_t obj, const char* name, const std::string& value) {
  auto st = utf8_string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar dataspace");
  Handle attr(H5Acreate2(obj, name, st.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "create an attribute");
  const char* p = value.c_str();
  check(H5Awrite(attr.get(), st.get(), &p), "write an attribute");
}

void write_attribute(hid_t obj, const char* name, std::int32_t value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar dataspace");
  Handle attr(H5Acreate2(obj, name, H5T_STD_I32LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "create an attribute");
  check(H5Awrite(attr.get(), H5T_NATIVE_INT32, &value), "write an attribute");
}

void write_attribute(hid_t obj, const char* name, double value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar dataspace");
  Handle attr(H5Acreate2(obj, name, H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "create an attribute");
  check(H5Awrite(attr.get(), H5T_NATIVE_DOUBLE, &value), "write an attribute");
}

bool read_attribute(hid_t obj, const char* name, std::string& out) {
  if (H5Aexists(obj, name) <= 0) return false;
  const hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  if (a < 0) return false;
  Handle attr(a, H5Aclose, "open an attribute");
  Handle stored(H5Aget_type(attr.get()), H5Tclose, "read an attribute's type");
  if (H5Tget_class(stored.get()) != H5T_STRING || H5Tis_variable_str(stored.get()) <= 0) return false;
  auto st = utf8_string_type();
  char* value = nullptr;
  const bool ok = H5Aread(attr.get(), st.get(), &value) >= 0 && value;
  if (ok) out = value;
  if (value) H5free_memory(value);
  return ok;
}

bool read_attribute(hid_t obj, const char* name, std::int64_t& out) {
  if (H5Aexists(obj, name) <= 0) return false;
  const hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  if (a < 0) return false;
  Handle attr(a, H5Aclose, "open an attribute");
  Handle stored(H5Aget_type(attr.get()), H5Tclose, "read an attribute's type");
  if (H5Tget_class(stored.get()) != H5T_INTEGER) return false;
  return H5Aread(attr.get(), H5T_NATIVE_INT64, &out) >= 0;
}

Handle column_properties(hsize_t chunk, bool shuffle, bool deflate) {
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create dataset properties");
  check(H5Pset_obj_track_times(dcpl.get(), false), "turn off dataset timestamps");
  check(H5Pset_chunk(dcpl.get(), 1, &chunk), "set chunking");
  if (shuffle) check(H5Pset_shuffle(dcpl.get()), "set shuffle");
  if (deflate) check(H5Pset_deflate(dcpl.get(), kDeflateLevel), "set deflate");
  return dcpl;
}

Handle create_column(hid_t group, const std::string& name, hid_t file_type, hid_t properties) {
  const hsize_t zero = 0, unlimited = H5S_UNLIMITED;
  Handle space(H5Screate_simple(1, &zero, &unlimited), H5Sclose, "create a dataspace");
  return Handle(H5Dcreate2(group, name.c_str(), file_type, space.get(), H5P_DEFAULT, properties, H5P_DEFAULT), H5Dclose,
                "create a dataset");
}

void write_column(hid_t group, const std::string& name, const std::vector<std::int32_t>& v) {
  column(group, name, v.data(), v.size(), H5T_STD_I32LE, H5T_NATIVE_INT32, true, true);
}

void write_column(hid_t group, const std::string& name, const std::vector<double>& v) {
  column(group, name, v.data(), v.size(), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, false, true);
}

void write_column(hid_t group, const std::string& name, const std::vector<std::string>& v) {
  std::vector<const char*> ptrs;
  ptrs.reserve(v.size());
  for (const auto& s : v) ptrs.push_back(s.c_str());
  auto st = utf8_string_type();
  column(group, name, ptrs.data(), ptrs.size(), st.get(), st.get(), false, false);
}

void write_text(hid_t parent, const std::string& name, const std::string& text) {
  auto st = utf8_string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar dataspace");
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create dataset properties");
  check(H5Pset_obj_track_times(dcpl.get(), false), "turn off dataset timestamps");
  Handle ds(H5Dcreate2(parent, name.c_str(), st.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), H5Dclose,
            "create a text dataset");
  const char* p = text.c_str();
  check(H5Dwrite(ds.get(), st.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), "write a text dataset");
}

std::vector<std::int32_t> read_int32_column(hid_t file, const std::string& path) {
  return read_column<std::int32_t>(file, path, H5T_NATIVE_INT32);
}

std::vector<double> read_double_column(hid_t file, const std::string& path) {
  return read_column<double>(file, path, H5T_NATIVE_DOUBLE);
}

}  // namespace tsim::output::h5
