#include "sim/batch/results_folder.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <limits>
#include <sstream>
#include <toml++/toml.h>
#include <tuple>

#include "output/atomic_file.hpp"
#include "output/run_file_reader.hpp"
#include "sim/batch/build_info.hpp"

namespace tsim::batch {

namespace fs = std::filesystem;

namespace {

// A manifest is a few hundred bytes; anything far larger is not one.
constexpr std::uintmax_t kMaxManifestBytes = 1 << 20;

// Text read from a file, fit for a one-line message.
std::string shown(const std::string& text, std::size_t max = 40) {
  std::string out;
  for (const char c : text.substr(0, max)) {
    const auto byte = static_cast<unsigned char>(c);
    out += byte >= 0x20 && byte < 0x7f ? std::string(1, c) : fmt::format("\\x{:02x}", byte);
  }
  return text.size() > max ? out + "..." : out;
}

std::optional<model::RecordLevel> record_level_named(const std::string& name) {
  for (const auto level : {model::RecordLevel::full, model::RecordLevel::census, model::RecordLevel::summary})
    if (name == model::to_string(level)) return level;
  return std::nullopt;
}

std::string required_string(const toml::table& t, const char* key) {
  const auto* node = t.get(key);
  if (!node) throw ManifestError(fmt::format("no {} key", key));
  const auto value = node->value_exact<std::string>();
  if (!value) throw ManifestError(fmt::format("{} is not a string", key));
  return *value;
}

std::uint32_t required_whole(const toml::table& t, const char* key, std::int64_t lo) {
  const auto* node = t.get(key);
  if (!node) throw ManifestError(fmt::format("no {} key", key));
  const auto value = node->value_exact<std::int64_t>();
  if (!value || *value < lo || *value > std::numeric_limits<std::int32_t>::max())
    throw ManifestError(fmt::format("{} is not a whole number from {} to 2147483647", key, lo));
  return static_cast<std::uint32_t>(*value);
}

std::string optional_string(const toml::table& t, const char* key) {
  const auto* node = t.get(key);
  if (!node) return "";
  const auto value = node->value_exact<std::string>();
  if (!value) throw ManifestError(fmt::format("{} is not a string", key));
  return *value;
}

std::vector<std::string> string_list(const toml::table& t, const char* key) {
  std::vector<std::string> out;
  const auto* node = t.get(key);
  if (!node) return out;
  const auto* array = node->as_array();
  if (!array) throw ManifestError(fmt::format("{} is not a list of strings", key));
  for (const auto& element : *array) {
    const auto value = element.value_exact<std::string>();
    if (!value) throw ManifestError(fmt::format("{} is not a list of strings", key));
    out.push_back(*value);
  }
  return out;
}

// r of "run_<r>.h5", written as this build writes it (no sign, no leading zero).
std::optional<std::uint32_t> replication_of(const std::string& name) {
  constexpr std::string_view kPrefix = "run_", kSuffix = ".h5";
  if (name.size() <= kPrefix.size() + kSuffix.size() || name.rfind(kPrefix, 0) != 0 ||
      name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0)
    return std::nullopt;
  const char* first = name.data() + kPrefix.size();
  const char* last = name.data() + name.size() - kSuffix.size();
  if (*first == '0' && last - first > 1) return std::nullopt;
  std::uint32_t r = 0;
  const auto [ptr, ec] = std::from_chars(first, last, r);
  if (ec != std::errc() || ptr != last) return std::nullopt;
  return r;
}

bool is_run_file_name(const std::string& name) {
  return name.size() > 7 && name.rfind("run_", 0) == 0 && name.compare(name.size() - 3, 3, ".h5") == 0;
}

std::string written_range(std::uint32_t replications) {
  return replications == 1 ? "run_0.h5" : fmt::format("run_0.h5 to run_{}.h5", replications - 1);
}

void remove_entry(const fs::path& p) {
  std::error_code ec;
  fs::remove(p, ec);
  if (ec) throw output::OutputError(fmt::format("cannot remove {}: {}", p.string(), ec.message()));
}

}  // namespace

FolderManifest make_manifest(const scenario::LoadedScenario& loaded, const std::string& variant,
                             std::uint32_t master_seed, std::uint32_t replications, model::RecordLevel record_level) {
  FolderManifest m;
  m.scenario_name = loaded.spec.name;
  m.scenario_sha256 = loaded.sha256;
  m.record_level = record_level;
  m.master_seed = master_seed;
  m.replications = replications;
  m.variant = variant;
  m.policies = loaded.spec.policies;
  m.policy_texts = loaded.policy_texts;
  m.traineesim_version = std::string(build_info().version);
  m.git_sha = std::string(build_info().git_describe);
  return m;
}

std::string manifest_text(const FolderManifest& m) {
  toml::array policies;
  for (const auto& p : m.policies) policies.push_back(p);
  const toml::table t{
      {"schema", kManifestSchema},
      {"schema_version", kManifestSchemaVersion},
      {"scenario_name", m.scenario_name},
      {"scenario_sha256", m.scenario_sha256},
      {"record_level", model::to_string(m.record_level)},
      {"master_seed", static_cast<std::int64_t>(m.master_seed)},
      {"replications", static_cast<std::int64_t>(m.replications)},
      {"variant", m.variant},
      {"policies", std::move(policies)},
      {"traineesim_version", m.traineesim_version},
      {"git_sha", m.git_sha},
  };
  toml::table stamped = t;
  if (!m.written.empty()) stamped.insert("written", m.written);
  std::ostringstream out;
  out << "# The run whose files this folder holds (docs/OUTPUT.md, \"Results folders\"),\n"
         "# written by traineesim after the last of them.\n"
      << stamped << '\n';
  if (!m.policy_texts.empty()) {
    toml::table texts;
    for (const auto& [name, text] : m.policy_texts) texts.insert(name, text);
    // Basic (escaped) strings only: toml++ writes a text holding three single
    // quotes as a literal multi-line string, which no TOML reader reads back.
    constexpr auto flags = toml::toml_formatter::default_flags & ~toml::format_flags::allow_literal_strings;
    out << "\n# Each policy's TOML as applied, so a report needs no policy file.\n"
        << toml::toml_formatter(toml::table{{"policy_text", std::move(texts)}}, flags) << '\n';
  }
  return out.str();
}

FolderManifest parse_manifest(const std::string& text) {
  toml::table t;
  try {
    t = toml::parse(text);
  } catch (const toml::parse_error& e) {
    throw ManifestError(fmt::format("not TOML (line {}, column {}: {})", e.source().begin.line,
                                    e.source().begin.column, e.description()));
  }
  const auto schema = t.get("schema") ? t.get("schema")->value_exact<std::string>() : std::nullopt;
  if (schema != kManifestSchema)
    throw ManifestError(schema ? fmt::format("not a traineesim manifest (schema '{}')", shown(*schema))
                               : "not a traineesim manifest (no schema key)");
  const auto version = required_whole(t, "schema_version", 0);
  if (version != kManifestSchemaVersion)
    throw ManifestError(fmt::format("schema_version {}, this build reads {}", version, kManifestSchemaVersion));
  FolderManifest m;
  m.scenario_sha256 = required_string(t, "scenario_sha256");
  const auto level = required_string(t, "record_level");
  const auto parsed = record_level_named(level);
  if (!parsed) throw ManifestError(fmt::format("record_level '{}' is not full, census or summary", shown(level)));
  m.record_level = *parsed;
  m.master_seed = required_whole(t, "master_seed", 0);
  m.replications = required_whole(t, "replications", 1);
  m.scenario_name = optional_string(t, "scenario_name");
  m.variant = optional_string(t, "variant");
  m.policies = string_list(t, "policies");
  m.traineesim_version = optional_string(t, "traineesim_version");
  m.git_sha = optional_string(t, "git_sha");
  m.written = optional_string(t, "written");
  if (const auto* texts = t["policy_text"].as_table())
    for (const auto& name : m.policies)
      if (const auto* text = texts->get_as<std::string>(name)) m.policy_texts.emplace_back(name, text->get());
  return m;
}

std::string manifest_path(const std::string& variant_dir) {
  return (fs::path(variant_dir) / kManifestName).string();
}

void write_manifest(const std::string& variant_dir, const FolderManifest& manifest) {
  const std::string path = manifest_path(variant_dir);
  const std::string partial = output::partial_path(path);
  try {
    output::write_new_file(partial, manifest_text(manifest));
    output::publish(partial, path);
  } catch (...) {
    std::remove(partial.c_str());
    throw;
  }
}

std::optional<FolderManifest> read_manifest(const std::string& variant_dir) {
  const fs::path path = manifest_path(variant_dir);
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (!fs::exists(fs::symlink_status(path, ec))) return std::nullopt;
  if (!fs::is_regular_file(status)) throw ManifestError("not a regular file");
  const auto size = fs::file_size(path, ec);
  if (ec) throw ManifestError(fmt::format("cannot be read: {}", ec.message()));
  if (size > kMaxManifestBytes) throw ManifestError(fmt::format("{} bytes; a manifest is a few hundred", size));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw ManifestError("cannot be read");
  return parse_manifest(text.str());
}

std::string manifest_differences(const FolderManifest& found, const FolderManifest& expected) {
  std::vector<std::string> d;
  if (found.scenario_sha256 != expected.scenario_sha256) {
    if (found.scenario_name != expected.scenario_name)
      d.push_back(fmt::format("scenario '{}' (this run '{}')", shown(found.scenario_name), expected.scenario_name));
    d.push_back(fmt::format("scenario_sha256 {:.12} (this run {:.12})", shown(found.scenario_sha256, 64),
                            expected.scenario_sha256));
  }
  if (found.record_level != expected.record_level)
    d.push_back(fmt::format("record level {} (this run {})", model::to_string(found.record_level),
                            model::to_string(expected.record_level)));
  if (found.master_seed != expected.master_seed)
    d.push_back(fmt::format("seed {} (this run {})", found.master_seed, expected.master_seed));
  if (found.replications > expected.replications)
    d.push_back(fmt::format("{} replications (this run writes {})", found.replications, expected.replications));
  std::string out;
  for (const auto& part : d) out += (out.empty() ? "" : ", ") + part;
  return out;
}

std::vector<std::string> run_file_names(const std::string& variant_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(variant_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code ignored;
    if (is_run_file_name(name) && !fs::is_directory(it->symlink_status(ignored))) names.push_back(name);
  }
  auto key = [](const std::string& name) {
    const auto r = replication_of(name);
    return std::make_tuple(!r.has_value(), r.value_or(0), name);
  };
  std::sort(names.begin(), names.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
  return names;
}

FolderVerdict inspect_variant_folder(const std::string& variant_dir, const FolderManifest& expected) {
  FolderVerdict v;
  std::error_code ec;
  v.has_manifest = fs::exists(fs::symlink_status(manifest_path(variant_dir), ec));
  if (v.has_manifest) {
    try {
      const auto found = read_manifest(variant_dir);
      const std::string differences = found ? manifest_differences(*found, expected) : "";
      if (!differences.empty()) v.conflicts.push_back(fmt::format("{} says {}", kManifestName, differences));
    } catch (const ManifestError& e) {
      v.conflicts.push_back(fmt::format("{} cannot be read: {}", kManifestName, e.what()));
    }
  }
  for (const auto& name : run_file_names(variant_dir)) {
    ++v.run_files;
    const auto r = replication_of(name);
    if (!r || *r >= expected.replications) {
      v.conflicts.push_back(fmt::format("{} means more replications on disk than this run writes ({})", name,
                                        written_range(expected.replications)));
      continue;
    }
    const output::ExpectedRun run{expected.scenario_sha256, expected.master_seed, *r, expected.record_level, nullptr};
    const auto check = output::check_run_file((fs::path(variant_dir) / name).string(), run,
                                              output::CheckDepth::attributes);
    if (check.status == output::RunFileStatus::other)
      v.conflicts.push_back(fmt::format("{} is another run's file: {}", name, check.reason));
    else if (check.status == output::RunFileStatus::damaged)
      v.damaged.push_back(fmt::format("{}: damaged ({})", name, check.reason));
  }
  return v;
}

std::size_t clear_variant_folder(const std::string& variant_dir) {
  std::size_t removed = 0;
  for (const auto& name : run_file_names(variant_dir)) {
    remove_entry(fs::path(variant_dir) / name);
    ++removed;
  }
  return removed + (clear_manifest(variant_dir) ? 1 : 0);
}

bool clear_manifest(const std::string& variant_dir) {
  std::error_code ec;
  const fs::path manifest = manifest_path(variant_dir);
  if (!fs::exists(fs::symlink_status(manifest, ec))) return false;
  remove_entry(manifest);
  return true;
}

std::string sweep_folder_reason(const std::string& variant_dir) {
  const fs::path dir(variant_dir);
  const fs::path index = dir.parent_path().empty() ? fs::path("sweep.h5") : dir.parent_path() / "sweep.h5";
  std::error_code ec;
  if (fs::exists(fs::symlink_status(index, ec)))
    return fmt::format("{} is a sweep's folder ({})", index.parent_path().empty() ? "." : index.parent_path().string(),
                       index.string());
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code ignored;
    if (name.size() > 1 && name[0] == 's' &&
        name.find_first_not_of("0123456789", 1) == std::string::npos && it->is_directory(ignored))
      return fmt::format("{} holds a sweep's sample folder ({})", variant_dir, it->path().string());
  }
  return "";
}

std::string run_folder_reason(const std::string& out_dir) {
  std::error_code ec;
  for (const char* name : {"comparison.h5", "comparison.txt", "comparison.csv"}) {
    const fs::path p = fs::path(out_dir) / name;
    if (fs::exists(fs::symlink_status(p, ec))) return fmt::format("{} holds a comparison ({})", out_dir, p.string());
  }
  std::vector<fs::path> variants;
  for (fs::directory_iterator it(out_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code ignored;
    if (it->is_directory(ignored)) variants.push_back(it->path());
  }
  std::sort(variants.begin(), variants.end());  // the same answer whatever the directory order
  for (const auto& v : variants) {
    if (fs::exists(fs::symlink_status(v / kManifestName, ec)))
      return fmt::format("{} holds the results of run or compare ({})", out_dir, (v / kManifestName).string());
    const auto runs = run_file_names(v.string());
    if (!runs.empty())
      return fmt::format("{} holds the results of run or compare ({})", out_dir, (v / runs.front()).string());
  }
  return "";
}

std::size_t clear_comparison_files(const std::string& out_dir) {
  std::size_t removed = 0;
  for (const char* name : {"comparison.h5", "comparison.txt", "comparison.csv"}) {
    const fs::path p = fs::path(out_dir) / name;
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(p, ec))) continue;
    remove_entry(p);
    ++removed;
  }
  return removed;
}

}  // namespace tsim::batch
