// Compresses one chunk of a column exactly as HDF5's shuffle and deflate
// filters lay it out (a zlib-format deflate stream of the shuffled bytes), so
// the writer can do it outside the HDF5 lock (several runs then write files at
// once, and a run compresses on a second thread while it simulates) and hand
// HDF5 the finished bytes. Any HDF5 reader decodes them with its built-in
// filters, no plugin. Encoding uses libdeflate (about 3x zlib's speed at a
// similar size); decoding uses zlib, the reference decoder every HDF5 build
// ships, so the verifier is independent of the encoder. decode_chunk is the
// inverse, so a verifier can read stored chunks under the lock and decode
// them outside it.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace tsim::output {

/// A reusable encoder: its compressor state and shuffle buffer are allocated
/// once (not per chunk). One thread at a time.
class ChunkEncoder {
 public:
  ChunkEncoder();
  ~ChunkEncoder();
  ChunkEncoder(const ChunkEncoder&) = delete;
  ChunkEncoder& operator=(const ChunkEncoder&) = delete;

  /// Shuffles (when `shuffle` and elements are wider than a byte) and
  /// deflates `bytes` bytes of elements `element` bytes wide into `out`
  /// (resized to the stored size; its capacity is reused). Throws OutputError.
  void encode(const unsigned char* raw, std::size_t bytes, std::size_t element, bool shuffle,
              std::vector<unsigned char>& out);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// encode() with a fresh encoder, for one-off use.
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
