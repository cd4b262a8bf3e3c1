// The one layer over the HDF5 C API that every writer and reader in output/
// uses: handles that close themselves, calls whose failure throws
// OutputError naming what failed, and the library lock. Internal to output/.
//
// Debian's HDF5 is built without thread safety, so every call into the
// library, from any thread, must hold the lock. The rule: public functions of
// output/ take the lock (h5::lock()); everything in this header expects the
// caller to hold it. Work that needs no library call (compressing a chunk)
// is done before taking it.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "output/atomic_file.hpp"

namespace tsim::output::h5 {

/// Takes the process-wide HDF5 lock (a plain mutex: never re-entered).
[[nodiscard]] std::unique_lock<std::mutex> lock();

/// The innermost message of this thread's HDF5 error stack ("" if none):
/// what the library said about the call that just failed.
[[nodiscard]] std::string last_error();

/// An HDF5 identifier closed by the right function when it goes out of scope.
class Handle {
 public:
  Handle() = default;
  /// Takes ownership of `id`; throws OutputError("HDF5 failed to <what>") if it is negative.
  Handle(hid_t id, herr_t (*close)(hid_t), const char* what);
  Handle(Handle&& o) noexcept;
  Handle& operator=(Handle&& o) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  /// Closes now; returns false if closing failed (e.g. a write-back error).
  bool reset() noexcept;
  [[nodiscard]] hid_t get() const noexcept { return id_; }
  [[nodiscard]] explicit operator bool() const noexcept { return id_ >= 0; }

 private:
  hid_t id_ = -1;
  herr_t (*close_)(hid_t) = nullptr;
};

/// Throws OutputError("HDF5 failed to <what>") if `rc` is negative.
void check(herr_t rc, const char* what);
/// The same for a call that writes to disk: set errno = 0 before the call,
/// and the message adds the system's reason (e.g. "No space left on device").
void check_io(herr_t rc, const char* what);

// ---- files and groups --------------------------------------------------------
/// A new file, created exclusively (throws if anything exists at `path`),
/// object timestamps off so equal content gives equal bytes.
[[nodiscard]] Handle create_file(const std::string& path);
/// Opens an existing file read-only; throws OutputError naming the file if it
/// is missing or not HDF5, with HDF5's reason when it has one ("truncated file: ...").
[[nodiscard]] Handle open_file(const std::string& path);
/// A group with object timestamps off.
[[nodiscard]] Handle create_group(hid_t parent, const std::string& name);
[[nodiscard]] bool exists(hid_t parent, const std::string& path);

// ---- attributes ----------------------------------------------------------------
void write_attribute(hid_t obj, const char* name, const std::string& value);
void write_attribute(hid_t obj, const char* name, std::int32_t value);
void write_attribute(hid_t obj, const char* name, double value);
/// Reads a string, integer or floating-point attribute; false if absent or of another type.
bool read_attribute(hid_t obj, const char* name, std::string& out);
bool read_attribute(hid_t obj, const char* name, std::int64_t& out);
bool read_attribute(hid_t obj, const char* name, double& out);

// ---- datasets --------------------------------------------------------------------
/// Properties of a chunked 1-D dataset: chunk of `chunk` elements, shuffle
/// (integers) and deflate level 4, timestamps off.
[[nodiscard]] Handle column_properties(hsize_t chunk, bool shuffle, bool deflate);
/// An empty extendible 1-D dataset.
[[nodiscard]] Handle create_column(hid_t group, const std::string& name, hid_t file_type, hid_t properties);
/// Whole columns written at once (dictionaries, summaries), chunked and compressed.
void write_column(hid_t group, const std::string& name, const std::vector<std::int32_t>& v);
void write_column(hid_t group, const std::string& name, const std::vector<double>& v);
void write_column(hid_t group, const std::string& name, const std::vector<std::string>& v);
/// A scalar UTF-8 string dataset.
void write_text(hid_t parent, const std::string& name, const std::string& text);
/// Reads a whole 1-D numeric column, converted to the requested type.
[[nodiscard]] std::vector<std::int32_t> read_int32_column(hid_t file, const std::string& path);
[[nodiscard]] std::vector<double> read_double_column(hid_t file, const std::string& path);

/// Reads a whole 1-D string column, or a scalar string dataset. Throws
/// OutputError naming the path if it is missing or holds something else.
[[nodiscard]] std::vector<std::string> read_string_column(hid_t file, const std::string& path);
[[nodiscard]] std::string read_text(hid_t file, const std::string& path);

// ---- reading what is stored, for verification --------------------------------------
/// The names of a group's members, in name order.
[[nodiscard]] std::vector<std::string> member_names(hid_t group);
/// Opens a dataset; throws OutputError naming the path if there is none.
[[nodiscard]] Handle open_dataset(hid_t file, const std::string& path);

/// How a 1-D chunked column is stored.
struct ColumnStorage {
  hsize_t rows = 0;             // elements
  hsize_t chunk = 0;            // elements per chunk
  std::size_t element = 0;      // bytes per element in the file
  H5T_class_t type_class = H5T_NO_CLASS;
  bool little_endian = true;
  std::vector<H5Z_filter_t> filters;  // in pipeline order
};
/// Throws OutputError if the dataset is not a chunked 1-D column.
[[nodiscard]] ColumnStorage column_storage(hid_t dataset);

/// One chunk's bytes as the file holds them (HDF5's filters not undone).
struct StoredChunk {
  std::vector<unsigned char> bytes;
  unsigned filter_mask = 0;  // bit i set: filter i was skipped for this chunk
};
/// Chunk `index` (elements index*chunk ...). Throws OutputError if it is not
/// stored or takes more than `max_bytes`.
[[nodiscard]] StoredChunk read_stored_chunk(hid_t dataset, hsize_t index, hsize_t chunk, std::size_t max_bytes);

/// The variable-length UTF-8 string type.
[[nodiscard]] Handle utf8_string_type();

}  // namespace tsim::output::h5
