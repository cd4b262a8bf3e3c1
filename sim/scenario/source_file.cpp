#include "sim/scenario/source_file.hpp"

#include <algorithm>
#include <cctype>
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

namespace {

bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

// Line `number` (1-based) of `text`, without its line end; "" past the end.
std::string_view line_of(std::string_view text, std::uint32_t number) {
  std::size_t begin = 0;
  for (std::uint32_t l = 1; l < number; ++l) {
    begin = text.find('\n', begin);
    if (begin == std::string_view::npos) return {};
    ++begin;
  }
  const std::size_t end = std::min(text.find('\n', begin), text.size());
  std::string_view line = text.substr(begin, end - begin);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// `key = value` split at the first '=' (no '=': key is the whole line).
std::pair<std::string_view, std::string_view> key_value(std::string_view line) {
  const auto eq = line.find('=');
  if (eq == std::string_view::npos) return {trim(line), {}};
  std::string_view value = line.substr(eq + 1);
  if (const auto hash = value.find('#'); hash != std::string_view::npos) value = value.substr(0, hash);
  return {trim(line.substr(0, eq)), trim(value)};
}

// A value written as a bare word where TOML wanted a number, a date, a
// boolean or a quoted string: "name = tiny".
std::string bare_word_hint(std::string_view line) {
  const auto [key, value] = key_value(line);
  if (value.empty()) return {};
  if (value == "True" || value == "False" || value == "TRUE" || value == "FALSE")
    return fmt::format("true and false are written in lower case: {} = {}", key, value[0] == 'T' ? "true" : "false");
  const unsigned char first = static_cast<unsigned char>(value.front());
  if (!std::isalpha(first)) return {};
  return fmt::format("text must be in double quotes: {} = \"{}\"", key, value);
}

}  // namespace

std::string syntax_hint(std::string_view description, std::string_view line) {
  const std::string_view d = description;
  if (contains(d, "parsing table header") && contains(d, "expected ']'"))
    return fmt::format("a table header is closed with ']' on the same line: [{}]", trim(trim(line).substr(1)));
  if (contains(d, "cannot redefine existing table"))
    return "this table appears twice in the file; give each table once and put all its keys under it";
  if (contains(d, "cannot redefine existing"))
    return fmt::format("the key '{}' is given twice in the same table; keep one of them", key_value(line).first);
  if (contains(d, "parsing string") || contains(d, "parsing literal string") ||
      (contains(d, "control characters") && !contains(d, "comment")))
    return "a string is not closed: end it with a matching quote on the same line (\"\"\"...\"\"\" spans lines)";
  if (contains(d, "parsing inline table"))
    return "an inline table { key = value, ... } is written on one line and closed with '}'; for a longer one use a "
           "[table] section";
  if (contains(d, "parsing array") && contains(d, "end-of-file"))
    return "an array [ ... ] is not closed: end it with ']'";
  if (contains(d, "expected '=', saw ':'")) return "keys and values are joined by '=', not ':'";
  if (contains(d, "parsing key-value pair: expected a comment or whitespace"))
    return "only a comment (# ...) may follow a value on its line: put text with spaces in double quotes, and units "
           "in the key (horizon_years = 10)";
  if (contains(d, "parsing boolean") || contains(d, "parsing value") || contains(d, "parsing integer") ||
      contains(d, "parsing floating-point") || contains(d, "parsing inf") || contains(d, "parsing nan"))
    return bare_word_hint(line);
  return {};
}

toml::table parse_toml(const std::string& text, const std::string& origin) {
  try {
    return toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    std::string message(e.description());
    const std::string hint = syntax_hint(e.description(), line_of(text, e.source().begin.line));
    if (!hint.empty()) message += " (" + hint + ")";
    throw core::InputError(location_of(e.source(), origin), message);
  }
}

core::SourceLocation location_of(const toml::source_region& r, const std::string& origin) {
  return core::SourceLocation{r.path ? *r.path : origin, r.begin.line, r.begin.column};
}

}  // namespace tsim::scenario
