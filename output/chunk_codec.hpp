// Compresses one chunk of a column exactly as HDF5's shuffle and deflate
// filters would, so the writer can do it outside the HDF5 lock (several runs
// then write files at once) and hand HDF5 the finished bytes. Any HDF5 reader
// decodes them with its built-in filters.
#pragma once

#include <cstddef>
#include <vector>

namespace tsim::output {

/// Shuffles (when `shuffle` and elements are wider than a byte) and deflates
/// `bytes` bytes of elements `element` bytes wide. Throws OutputError.
[[nodiscard]] std::vector<unsigned char> encode_chunk(const unsigned char* raw, std::size_t bytes, std::size_t element,
                                                      bool shuffle);

}  // namespace tsim::output
