#include "output/h5_file.hpp"

#include <cstdio>
#include <fmt/format.h>

namespace tsim::output {

void write_file_atomically(const std::string& path, const std::function<void(hid_t)>& body) {
  const std::string partial = partial_path(path);
  {
    const auto lock = h5::lock();
    h5::Handle f = h5::create_file(partial);
    try {
      body(f.get());
      h5::write_attribute(f.get(), "complete", std::int32_t{1});
      if (!f.reset()) throw OutputError(fmt::format("cannot close {}", partial));
    } catch (...) {
      truncate_abandoned(partial);
      f.reset();
      std::remove(partial.c_str());
      throw;
    }
  }
  publish(partial, path);
}

}  // namespace tsim::output
