// SHA-256 (FIPS 180-4), used to fingerprint resolved scenario text so a sweep
// can tell whether a finished run file belongs to the same scenario.
#pragma once

#include <string>
#include <string_view>

namespace tsim::core {

/// Lower-case hex digest of `data`.
[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace tsim::core
