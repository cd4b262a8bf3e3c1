#include "output/chunk_codec.hpp"

#include <algorithm>
#include <fmt/format.h>
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

std::vector<unsigned char> decode_chunk(const unsigned char* stored, std::size_t stored_bytes, std::size_t raw_bytes,
                                        std::size_t element, bool shuffle, bool deflate) {
  std::vector<unsigned char> plain(raw_bytes);
  if (deflate) {
    z_stream z{};
    if (inflateInit(&z) != Z_OK) throw OutputError("inflate cannot start");
    z.next_in = const_cast<unsigned char*>(stored);  // zlib's API is not const-correct
    z.avail_in = static_cast<uInt>(stored_bytes);
    z.next_out = plain.data();
    z.avail_out = static_cast<uInt>(raw_bytes);
    const int rc = inflate(&z, Z_FINISH);
    const std::size_t got = raw_bytes - z.avail_out;
    const std::string why = z.msg ? z.msg : "";
    inflateEnd(&z);
    if (rc == Z_BUF_ERROR && got == raw_bytes) throw OutputError(fmt::format("inflates to more than {} bytes", raw_bytes));
    if (rc == Z_BUF_ERROR) throw OutputError(fmt::format("ends after {} of {} bytes", got, raw_bytes));
    if (rc != Z_STREAM_END)
      throw OutputError(why.empty() ? fmt::format("does not inflate (zlib status {})", rc)
                                    : fmt::format("does not inflate: {}", why));
    if (got != raw_bytes) throw OutputError(fmt::format("inflates to {} bytes, not {}", got, raw_bytes));
  } else {
    if (stored_bytes != raw_bytes) throw OutputError(fmt::format("holds {} bytes, not {}", stored_bytes, raw_bytes));
    std::copy(stored, stored + stored_bytes, plain.begin());
  }
  if (!shuffle || element < 2) return plain;
  std::vector<unsigned char> out(raw_bytes);
  const std::size_t n = raw_bytes / element;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < element; ++j) out[i * element + j] = plain[j * n + i];
  return out;
}

}  // namespace tsim::output
