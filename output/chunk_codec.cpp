#include "output/chunk_codec.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <libdeflate.h>
#include <zlib.h>

#include "output/atomic_file.hpp"

namespace tsim::output {

namespace {
// libdeflate's level 2 stores the reference workload's columns in slightly
// fewer bytes than zlib's level 4 did (26.9 against 27.0 MB at cohort
// 100,000) in 45% of its time; higher levels save under 2% more for up to
// twice the time (bench/README.md, "Compression").
constexpr int kDeflateLevel = 2;
}  // namespace

struct ChunkEncoder::State {
  libdeflate_compressor* compressor = nullptr;
  std::vector<unsigned char> shuffled;
};

ChunkEncoder::ChunkEncoder() : state_(std::make_unique<State>()) {
  state_->compressor = libdeflate_alloc_compressor(kDeflateLevel);
  if (!state_->compressor) throw OutputError("deflate cannot start (out of memory)");
}

ChunkEncoder::~ChunkEncoder() { libdeflate_free_compressor(state_->compressor); }

void ChunkEncoder::encode(const unsigned char* raw, std::size_t bytes, std::size_t element, bool shuffle,
                          std::vector<unsigned char>& out) {
  const unsigned char* src = raw;
  if (shuffle && element > 1) {
    // Byte j of every element together, as HDF5's shuffle filter lays them out.
    const std::size_t n = bytes / element;
    auto& shuffled = state_->shuffled;
    shuffled.resize(bytes);
    if (element == 4) {  // int32 columns, the only ones the run writer shuffles: unrolled
      unsigned char* s0 = shuffled.data();
      unsigned char *s1 = s0 + n, *s2 = s1 + n, *s3 = s2 + n;
      for (std::size_t i = 0; i < n; ++i) {
        const unsigned char* e = raw + 4 * i;
        s0[i] = e[0];
        s1[i] = e[1];
        s2[i] = e[2];
        s3[i] = e[3];
      }
    } else {
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < element; ++j) shuffled[j * n + i] = raw[i * element + j];
    }
    src = shuffled.data();
  }
  out.resize(libdeflate_zlib_compress_bound(state_->compressor, bytes));
  const std::size_t size = libdeflate_zlib_compress(state_->compressor, src, bytes, out.data(), out.size());
  if (size == 0) throw OutputError("deflate failed");
  out.resize(size);
}

std::vector<unsigned char> encode_chunk(const unsigned char* raw, std::size_t bytes, std::size_t element, bool shuffle) {
  std::vector<unsigned char> out;
  ChunkEncoder().encode(raw, bytes, element, shuffle, out);
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
