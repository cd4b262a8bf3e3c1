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

// A chunked column must store every chunk its extent covers (the writers
// write them all): a damaged extent is refused before memory is set aside for it.
void check_stored(hid_t ds, hid_t space, const std::string& path, hsize_t n) {
  Handle dcpl(H5Dget_create_plist(ds), H5Pclose, "read dataset properties");
  hsize_t chunk = 0, stored = 0;
  if (n == 0 || H5Pget_layout(dcpl.get()) != H5D_CHUNKED || H5Pget_chunk(dcpl.get(), 1, &chunk) != 1 || chunk == 0)
    return;
  check(H5Dget_num_chunks(ds, space, &stored), "count a dataset's chunks");
  const hsize_t needed = (n - 1) / chunk + 1;
  if (stored < needed)
    throw OutputError(fmt::format("{} claims {} rows but stores {} of their {} chunks", path, n, stored, needed));
}

template <class V>
std::vector<V> read_column(hid_t file, const std::string& path, hid_t mem_type) {
  if (!exists(file, path)) throw OutputError(fmt::format("no dataset {}", path));
  Handle ds(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose, "open a dataset");
  Handle space(H5Dget_space(ds.get()), H5Sclose, "get a dataspace");
  if (H5Sget_simple_extent_ndims(space.get()) != 1) throw OutputError(fmt::format("{} is not a column", path));
  hsize_t n = 0;
  check(H5Sget_simple_extent_dims(space.get(), &n, nullptr), "read a dataset's size");
  check_stored(ds.get(), space.get(), path, n);
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

std::string last_error() {
  std::string innermost;
  auto take = [](unsigned, const H5E_error2_t* e, void* out) -> herr_t {
    if (e->desc && *e->desc) *static_cast<std::string*>(out) = e->desc;  // the last one walked is the innermost
    return 0;
  };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, take, &innermost);
  return innermost;
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
  if (f < 0) {
    const std::string why = last_error();
    throw OutputError(why.empty() ? fmt::format("{}: cannot open", path) : fmt::format("{}: cannot open ({})", path, why));
  }
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

bool read_attribute(hid_t obj, const char* name, double& out) {
  if (H5Aexists(obj, name) <= 0) return false;
  const hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  if (a < 0) return false;
  Handle attr(a, H5Aclose, "open an attribute");
  Handle stored(H5Aget_type(attr.get()), H5Tclose, "read an attribute's type");
  if (H5Tget_class(stored.get()) != H5T_FLOAT) return false;
  return H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &out) >= 0;
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

namespace {
// A string dataset's values, read as variable-length UTF-8 strings.
std::vector<std::string> read_strings(hid_t file, const std::string& path, bool scalar) {
  auto ds = open_dataset(file, path);
  Handle stored(H5Dget_type(ds.get()), H5Tclose, "read a dataset's type");
  if (H5Tget_class(stored.get()) != H5T_STRING || H5Tis_variable_str(stored.get()) <= 0)
    throw OutputError(fmt::format("{} does not hold strings", path));
  Handle space(H5Dget_space(ds.get()), H5Sclose, "get a dataspace");
  const int ndims = H5Sget_simple_extent_ndims(space.get());
  if (ndims != (scalar ? 0 : 1)) throw OutputError(fmt::format("{} is not a {}", path, scalar ? "text" : "column"));
  hsize_t n = 1;
  if (!scalar) check(H5Sget_simple_extent_dims(space.get(), &n, nullptr), "read a dataset's size");
  if (!scalar) check_stored(ds.get(), space.get(), path, n);
  std::vector<char*> raw(n, nullptr);
  auto st = utf8_string_type();
  if (n && H5Dread(ds.get(), st.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0)
    throw OutputError(fmt::format("{} cannot be read", path));
  std::vector<std::string> out;
  out.reserve(n);
  for (char* p : raw) out.emplace_back(p ? p : "");
  if (n) H5Dvlen_reclaim(st.get(), space.get(), H5P_DEFAULT, raw.data());
  return out;
}
}  // namespace

std::vector<std::string> read_string_column(hid_t file, const std::string& path) {
  return read_strings(file, path, false);
}

std::string read_text(hid_t file, const std::string& path) { return read_strings(file, path, true).front(); }

std::vector<std::string> member_names(hid_t group) {
  H5G_info_t info;
  check(H5Gget_info(group, &info), "list a group");
  std::vector<std::string> out;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t size = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (size < 0) throw OutputError("HDF5 failed to read a member's name");
    std::string name(static_cast<std::size_t>(size) + 1, '\0');
    check(static_cast<herr_t>(H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(),
                                                 H5P_DEFAULT)),
          "read a member's name");
    name.resize(static_cast<std::size_t>(size));
    out.push_back(std::move(name));
  }
  return out;
}

Handle open_dataset(hid_t file, const std::string& path) {
  if (!exists(file, path)) throw OutputError(fmt::format("no dataset {}", path));
  const hid_t ds = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  if (ds < 0) throw OutputError(fmt::format("{} is not a dataset", path));
  return Handle(ds, H5Dclose, "open a dataset");
}

ColumnStorage column_storage(hid_t dataset) {
  ColumnStorage out;
  Handle type(H5Dget_type(dataset), H5Tclose, "read a dataset's type");
  out.type_class = H5Tget_class(type.get());
  out.element = H5Tget_size(type.get());
  out.little_endian = out.type_class != H5T_INTEGER && out.type_class != H5T_FLOAT ? true
                                                                                   : H5Tget_order(type.get()) == H5T_ORDER_LE;
  Handle space(H5Dget_space(dataset), H5Sclose, "get a dataspace");
  if (H5Sget_simple_extent_ndims(space.get()) != 1) throw OutputError("not a 1-D column");
  check(H5Sget_simple_extent_dims(space.get(), &out.rows, nullptr), "read a dataset's size");
  Handle dcpl(H5Dget_create_plist(dataset), H5Pclose, "read dataset properties");
  if (H5Pget_layout(dcpl.get()) != H5D_CHUNKED || H5Pget_chunk(dcpl.get(), 1, &out.chunk) != 1 || out.chunk == 0)
    throw OutputError("not a chunked column");
  const int filters = H5Pget_nfilters(dcpl.get());
  for (int i = 0; i < filters; ++i) {
    unsigned flags = 0, config = 0;
    std::size_t n = 0;
    const H5Z_filter_t id = H5Pget_filter2(dcpl.get(), static_cast<unsigned>(i), &flags, &n, nullptr, 0, nullptr, &config);
    if (id < 0) throw OutputError("HDF5 failed to read a filter");
    out.filters.push_back(id);
  }
  return out;
}

StoredChunk read_stored_chunk(hid_t dataset, hsize_t index, hsize_t chunk, std::size_t max_bytes) {
  const hsize_t offset = index * chunk;
  hsize_t size = 0;
  if (H5Dget_chunk_storage_size(dataset, &offset, &size) < 0 || size == 0)
    throw OutputError(fmt::format("chunk {} is not stored", index));
  if (size > max_bytes) throw OutputError(fmt::format("chunk {} takes {} bytes, more than a chunk can", index, size));
  StoredChunk out;
  out.bytes.resize(static_cast<std::size_t>(size));
  if (H5Dread_chunk(dataset, H5P_DEFAULT, &offset, &out.filter_mask, out.bytes.data()) < 0)
    throw OutputError(fmt::format("chunk {} cannot be read", index));
  return out;
}

}  // namespace tsim::output::h5
