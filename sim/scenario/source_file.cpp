#include "sim/scenario/source_file.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

namespace tsim::scenario {

std::string read_source_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) throw core::InputError(core::SourceLocation{path}, "no such file");
  if (fs::is_directory(status)) throw core::InputError(core::SourceLocation{path}, "is a directory, not a scenario file");
  if (!fs::is_regular_file(status)) throw core::InputError(core::SourceLocation{path}, "is not a regular file");
  const auto size = fs::file_size(path, ec);
  if (!ec && size > kMaxFileBytes)
    throw core::InputError(core::SourceLocation{path},
                           fmt::format("is {} bytes; scenario files are limited to {} bytes", size, kMaxFileBytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::InputError(core::SourceLocation{path}, "cannot be opened for reading");
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

toml::table parse_toml(const std::string& text, const std::string& origin) {
  try {
    return toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    throw core::InputError(location_of(e.source(), origin), std::string(e.description()));
  }
}

core::SourceLocation location_of(const toml::source_region& r, const std::string& origin) {
  return core::SourceLocation{r.path ? *r.path : origin, r.begin.line, r.begin.column};
}

}  // namespace tsim::scenario
