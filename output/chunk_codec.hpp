// Compresses one chunk of a column exactly as HDF5's shuffle and deflate
// filters would, so the writer can do it outside the HDF5 lock (several runs
// then write files at once) and hand HDF5 the finished bytes. Any HDF5 reader
// decodes them with its built-in filters. decode_chunk is the inverse, so a
// verifier can read stored chunks under the lock and decode them outside it.
#pragma once

#include <cstddef>
#include <vector>

namespace tsim::output {

/// Shuffles (when `shuffle` and elements are wider than a byte) and deflates
/// `bytes` bytes of elements `element` bytes wide. Throws OutputError.
[[nodiscard]] std::vector<unsigned char> encode_chunk(const unsigned char* raw, std::size_t bytes, std::size_t element,
                                                      bool shuffle);

/// The inverse: inflates (when `deflate`) `stored_bytes` bytes and unshuffles
/// (when `shuffle`), giving exactly `raw_bytes` bytes. Throws OutputError with
/// the reason ("does not inflate: incorrect data check", "inflates to 1200
/// bytes, not 4096") when the stored bytes are damaged.
[[nodiscard]] std::vector<unsigned char> decode_chunk(const unsigned char* stored, std::size_t stored_bytes,
                                                      std::size_t raw_bytes, std::size_t element, bool shuffle,
                                                      bool deflate);

}  // namespace tsim::output
