#include "output/chunk_codec.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "output/atomic_file.hpp"

using namespace tsim;

namespace {

std::vector<unsigned char> as_bytes(const void* data, std::size_t n) {
  std::vector<unsigned char> out(n);
  std::memcpy(out.data(), data, n);
  return out;
}

// Values shaped like /events: sorted days with repeats, small codes.
std::vector<std::int32_t> codes(std::size_t n) {
  std::mt19937 g(7);
  std::vector<std::int32_t> v(n);
  for (auto& x : v) x = static_cast<std::int32_t>(g() % 9);
  return v;
}

}  // namespace

// What the encoder writes is the zlib format HDF5's deflate filter reads: the
// decoder (zlib itself, not the encoder's library) gives back every byte, with
// and without shuffling.
TEST(ChunkCodec, ZlibDecodesWhatTheEncoderWrites) {
  const auto ints = codes(65536);
  std::vector<double> days(65536);
  for (std::size_t i = 0; i < days.size(); ++i) days[i] = 250.0 + static_cast<double>(i / 37) * 0.5;
  const auto raw_ints = as_bytes(ints.data(), ints.size() * 4);
  const auto raw_days = as_bytes(days.data(), days.size() * 8);

  output::ChunkEncoder encoder;
  std::vector<unsigned char> stored;
  encoder.encode(raw_ints.data(), raw_ints.size(), 4, true, stored);
  EXPECT_LT(stored.size(), raw_ints.size() / 4);  // 9 codes in 32-bit words compress well
  EXPECT_EQ(output::decode_chunk(stored.data(), stored.size(), raw_ints.size(), 4, true, true), raw_ints);

  encoder.encode(raw_days.data(), raw_days.size(), 8, false, stored);  // the same encoder, reused
  EXPECT_EQ(output::decode_chunk(stored.data(), stored.size(), raw_days.size(), 8, false, true), raw_days);

  const auto once = output::encode_chunk(raw_days.data(), raw_days.size(), 8, false);
  EXPECT_EQ(once, stored);  // deterministic: the same bytes from a fresh encoder
}

// A flipped bit in a stored chunk is caught by the zlib checksum or the
// stream's structure, with the reason in the message.
TEST(ChunkCodec, DamageIsReported) {
  const auto ints = codes(4096);
  const auto raw = as_bytes(ints.data(), ints.size() * 4);
  auto stored = output::encode_chunk(raw.data(), raw.size(), 4, true);
  stored[stored.size() - 2] ^= 0x10;  // inside the adler32 checksum
  try {
    (void)output::decode_chunk(stored.data(), stored.size(), raw.size(), 4, true, true);
    FAIL() << "a damaged chunk decoded";
  } catch (const output::OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("incorrect data check"), std::string::npos) << e.what();
  }
}
