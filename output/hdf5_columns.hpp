// Small helpers for writing whole columns and attributes of summary files
// (comparison, sweep index). Internal to output/. Callers hold
// hdf5_library_mutex(). Throw OutputError.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace tsim::output {

/// The one lock around the (not thread-safe) HDF5 library.
std::recursive_mutex& hdf5_library_mutex();

void write_column(hid_t group, const char* name, const std::vector<double>& v);
void write_column(hid_t group, const char* name, const std::vector<std::int32_t>& v);
void write_column(hid_t group, const char* name, const std::vector<std::string>& v);
void write_attribute(hid_t obj, const char* name, const std::string& value);
void write_attribute(hid_t obj, const char* name, std::int32_t value);
/// A group with object timestamps off.
hid_t create_group(hid_t parent, const char* name);
/// A file with object timestamps off, at `partial`; throws if it cannot be created.
hid_t create_file(const std::string& partial);
/// Writes an HDF5 file at `path` through `<path>.partial`: `body` fills it
/// (under the library lock), "complete" = 1 is written last, then the file
/// is closed, fsynced and renamed. On failure nothing is left behind.
void write_file_atomically(const std::string& path, const std::function<void(hid_t)>& body);

/// A scalar UTF-8 string dataset.
void write_text(hid_t parent, const char* name, const std::string& text);

}  // namespace tsim::output
