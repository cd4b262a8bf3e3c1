// Writing a whole summary HDF5 file (comparison, sweep index) so that it
// appears under its final name only when complete. Internal to output/.
#pragma once

#include <functional>
#include <string>

#include "output/h5.hpp"

namespace tsim::output {

/// Writes `path` through `<path>.partial`: takes the HDF5 lock, lets `body`
/// fill the root group, writes `complete` = 1 last, closes, then fsyncs and
/// renames. On failure nothing is left behind. Throws OutputError.
void write_file_atomically(const std::string& path, const std::function<void(hid_t root)>& body);

}  // namespace tsim::output
