// Counter-based random streams (Random123 Philox4x32-10).
//
// Key = (master seed, replication). Counter = (subject lo, subject hi,
// purpose, draw). A "subject" is usually a person's random key (derived from
// where they came from, not a global counter) and a "purpose" names the
// process (dropout, exam, attribute draws, ...). Every (subject, purpose) pair
// is its own stream, so a change in one process never shifts the draws of
// another: common random numbers between baseline and policy by construction.
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cstdint>

namespace tsim::core {

class RandomStreams {
 public:
  RandomStreams(std::uint32_t master_seed, std::uint32_t replication) : key_{{master_seed, replication}} {}

  /// Four raw 32-bit words for one counter value.
  [[nodiscard]] std::array<std::uint32_t, 4> block(std::uint64_t subject, std::uint32_t purpose,
                                                   std::uint32_t draw) const {
    r123::Philox4x32::ctr_type ctr{{static_cast<std::uint32_t>(subject), static_cast<std::uint32_t>(subject >> 32),
                                    purpose, draw}};
    const auto out = r123::Philox4x32{}(ctr, key_);
    return {out.v[0], out.v[1], out.v[2], out.v[3]};
  }

  /// A uniform on the open interval (0, 1) with 52 random bits, from words 0-1.
  [[nodiscard]] double uniform(std::uint64_t subject, std::uint32_t purpose, std::uint32_t draw) const {
    const auto b = block(subject, purpose, draw);
    return to_unit(b[0], b[1]);
  }

  /// Maps two 32-bit words to (0, 1): the midpoints of a 2^-52 grid, so
  /// never exactly 0 or 1 (log(u) and log(1-u) are finite) and every value is
  /// exactly representable.
  [[nodiscard]] static double to_unit(std::uint32_t hi, std::uint32_t lo) noexcept {
    const std::uint64_t x = ((std::uint64_t{hi} << 32) | lo) >> 12;
    return (static_cast<double>(x) + 0.5) * 0x1.0p-52;
  }

  [[nodiscard]] std::uint32_t master_seed() const noexcept { return key_.v[0]; }
  [[nodiscard]] std::uint32_t replication() const noexcept { return key_.v[1]; }

 private:
  r123::Philox4x32::key_type key_;
};

/// A sequential view of one (subject, purpose) stream: two uniforms per block,
/// blocks numbered from `first_draw`.
class Stream {
 public:
  Stream(const RandomStreams& streams, std::uint64_t subject, std::uint32_t purpose, std::uint32_t first_draw = 0)
      : streams_(&streams), subject_(subject), purpose_(purpose), draw_(first_draw) {}

  /// Next uniform in (0, 1).
  double next() {
    if (!have_spare_) {
      const auto b = streams_->block(subject_, purpose_, draw_++);
      spare_ = RandomStreams::to_unit(b[2], b[3]);
      have_spare_ = true;
      return RandomStreams::to_unit(b[0], b[1]);
    }
    have_spare_ = false;
    return spare_;
  }

 private:
  const RandomStreams* streams_;
  std::uint64_t subject_;
  std::uint32_t purpose_;
  std::uint32_t draw_;
  double spare_ = 0.0;
  bool have_spare_ = false;
};

}  // namespace tsim::core
