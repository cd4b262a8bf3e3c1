#include "sim/scenario/overrides.hpp"

#include <cstdio>
#include <fmt/format.h>

#include "sim/scenario/source_file.hpp"

namespace tsim::scenario {

namespace {

// Merges an override (parsed as its own little TOML document) into the
// scenario. Nodes are moved, not copied, so they keep their place in the
// override ("--set:1:19") for the messages of later checks.
void merge(toml::node& dst, toml::table& src, const std::string& path, Reader& reader) {
  for (auto&& [k, v] : src) {
    const std::string key(k.str());
    const std::string here = path.empty() ? key : path + "." + key;
    if (auto* arr = dst.as_array()) {
      char tail = 0;
      unsigned long index = 0;
      if (std::sscanf(key.c_str(), "%lu%c", &index, &tail) != 1 || index >= arr->size()) {
        reader.error(k.source(), fmt::format("--set: '{}' is an array of {} entries; '{}' is not an index in it", path,
                                             arr->size(), key));
        continue;
      }
      toml::node& child = *arr->get(index);
      if (v.is_table() && (child.is_table() || child.is_array())) merge(child, *v.as_table(), here, reader);
      else reader.error(k.source(), fmt::format("--set: cannot replace a whole array entry '{}'", here));
      continue;
    }
    auto* tbl = dst.as_table();
    if (!tbl) {
      reader.error(k.source(), fmt::format("--set: '{}' is not a table", path));
      continue;
    }
    toml::node* existing = tbl->get(key);
    if (path == "parameters" && !existing) {
      std::vector<std::string> names;
      for (auto&& [pk, pv] : *tbl) names.emplace_back(pk.str());
      const std::string hint = core::did_you_mean(key, names);
      reader.error(k.source(), fmt::format("--set: unknown parameter '{}'{}", key,
                                           hint.empty() ? " (the scenario declares it under [parameters] first)" : hint));
      continue;
    }
    if (v.is_table() && existing && (existing->is_table() || existing->is_array())) {
      merge(*existing, *v.as_table(), here, reader);
    } else {
      if (existing) tbl->erase(key);
      tbl->insert(k, std::move(v));
    }
  }
}

// One override as a TOML table; nullopt (reported) if it cannot be read.
std::optional<toml::table> parse_override(const std::string& text, const std::string& origin, Reader& reader) {
  // One line only: a line break would let the text set other keys too.
  if (const auto nl = text.find_first_of("\r\n"); nl != std::string::npos) {
    reader.diags.add({origin, 1, static_cast<std::uint32_t>(nl + 1)},
                     "--set takes one key=value on one line; this text has a line break (give each key its own --set)");
    return std::nullopt;
  }
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    reader.diags.add({origin, 1, 1}, fmt::format("--set expects key.path=value, got '{}'", text));
    return std::nullopt;
  }
  try {
    return toml::parse(text, origin);
  } catch (const toml::parse_error&) {
    // Not a TOML value: take it as a string (e.g. --set scenario.name=my-run).
    std::string quoted;
    for (char c : text.substr(eq + 1)) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    try {
      reader.mark_bare_words(origin);
      return toml::parse(text.substr(0, eq) + "=\"" + quoted + "\"", origin);
    } catch (const toml::parse_error& e) {
      reader.diags.add(location_of(e.source(), origin), fmt::format("--set: {}", e.description()));
      return std::nullopt;
    }
  }
}

}  // namespace

void apply_overrides(toml::table& root, const std::vector<Override>& overrides, Reader& reader) {
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    const std::string origin = overrides.size() == 1 ? "--set" : fmt::format("--set #{}", i + 1);
    if (auto snippet = parse_override(overrides[i].text, origin, reader)) merge(root, *snippet, "", reader);
  }
}

}  // namespace tsim::scenario
