#include "output/chunk_codec.hpp"

#include <zlib.h>

#include "output/atomic_file.hpp"

namespace tsim::output {

namespace {
constexpr int kDeflateLevel = 4;  // docs/OUTPUT.md
}

std::vector<unsigned char> encode_chunk(const unsigned char* raw, std::size_t bytes, std::size_t element, bool shuffle) {
  std::vector<unsigned char> shuffled;
  const unsigned char* src = raw;
  if (shuffle && element > 1) {
    // Byte j of every element together, as HDF5's shuffle filter lays them out.
    const std::size_t n = bytes / element;
    shuffled.resize(bytes);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < element; ++j) shuffled[j * n + i] = raw[i * element + j];
    src = shuffled.data();
  }
  uLongf size = compressBound(static_cast<uLong>(bytes));
  std::vector<unsigned char> out(size);
  if (compress2(out.data(), &size, src, static_cast<uLong>(bytes), kDeflateLevel) != Z_OK)
    throw OutputError("deflate failed");
  out.resize(size);
  return out;
}

}  // namespace tsim::output
