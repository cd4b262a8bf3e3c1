// One variant folder of `run` or `compare` holds the run files of ONE run.
// Its manifest.toml, written last (after every run file), says which run;
// before a command writes into a folder it inspects what is there, so files
// of another scenario, record level or seed are never left beside new ones
// for readers to pool. Sweeps keep their own folders (sweep.h5 is their
// index) and write no manifest. docs/OUTPUT.md, "Results folders".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/model/spec.hpp"
#include "sim/scenario/scenario.hpp"

namespace tsim::batch {

inline constexpr const char* kManifestName = "manifest.toml";
inline constexpr const char* kManifestSchema = "traineesim.manifest";
inline constexpr std::int64_t kManifestSchemaVersion = 1;

/// What manifest.toml says: the run whose files a variant folder holds
/// (run_0.h5 .. run_<replications - 1>.h5).
struct FolderManifest {
  std::string scenario_name;
  std::string scenario_sha256;  // of the resolved scenario text, as in every run file
  model::RecordLevel record_level = model::RecordLevel::full;
  std::uint32_t master_seed = 0;
  std::uint32_t replications = 0;
  std::string variant;                // the folder's name: "baseline" or the policy names joined by '+'
  std::vector<std::string> policies;  // the policies applied, in order
  /// (name, text as applied) of each policy (LoadedScenario::policy_texts):
  /// written under [policy_text] so a report needs no policy file.
  std::vector<std::pair<std::string, std::string>> policy_texts;
  std::string traineesim_version;     // what wrote it (batch::build_info)
  std::string git_sha;
  /// When the run completed, UTC, ISO 8601 ("2026-11-24T03:50:12Z"); "" until
  /// then. The one clock time in a results folder: never compared, only shown.
  std::string written;
};

/// The manifest of replications 0..replications-1 of `loaded` in `variant`
/// with `master_seed`, written by this build. Never throws (but std::bad_alloc).
[[nodiscard]] FolderManifest make_manifest(const scenario::LoadedScenario& loaded, const std::string& variant,
                                           std::uint32_t master_seed, std::uint32_t replications,
                                           model::RecordLevel record_level);

/// A manifest that cannot be read: not TOML, another schema, a key missing
/// or of the wrong type. The message says what, without the file's name.
class ManifestError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The manifest as TOML (written with toml++; `written` is its only clock
/// time, left out while empty). Never throws (but std::bad_alloc).
[[nodiscard]] std::string manifest_text(const FolderManifest& manifest);

/// Reads manifest TOML. Keys this build does not know are ignored (a later
/// build may add some). Throws ManifestError.
[[nodiscard]] FolderManifest parse_manifest(const std::string& text);

/// "<variant_dir>/manifest.toml". Never throws (but std::bad_alloc).
[[nodiscard]] std::string manifest_path(const std::string& variant_dir);

/// Writes `<variant_dir>/manifest.toml` atomically (a fresh temporary name,
/// fsynced, renamed). Throws output::OutputError.
void write_manifest(const std::string& variant_dir, const FolderManifest& manifest);

/// The manifest of `variant_dir`; nullopt when there is none. Throws
/// ManifestError when it cannot be read or parsed.
[[nodiscard]] std::optional<FolderManifest> read_manifest(const std::string& variant_dir);

/// How `found` (a folder's manifest) is another run than `expected`: its
/// scenario hash, record level or seed differ, or it has more replications.
/// "" when it is the same run. E.g. "seed 3 (this run 7), record level full
/// (this run census)". Never throws (but std::bad_alloc).
[[nodiscard]] std::string manifest_differences(const FolderManifest& found, const FolderManifest& expected);

/// The names of the run files in `variant_dir` (entries named run_*.h5:
/// files, links, anything but folders), run_<r>.h5 in replication order,
/// then any others by name. Empty when the folder does not exist. Never
/// throws (but std::bad_alloc).
[[nodiscard]] std::vector<std::string> run_file_names(const std::string& variant_dir);

/// What a variant folder holds, against the run about to write it.
struct FolderVerdict {
  /// Why the folder holds another run, one entry per file (manifest.toml
  /// first, then run files), each starting with the file's name: "manifest.toml
  /// says seed 3 (this run 7)", "run_0.h5 is another run's file: record level
  /// full, expected census", "run_5.h5 means more replications on disk than this
  /// run writes (run_0.h5 to run_2.h5)". Empty when the run may write there.
  std::vector<std::string> conflicts;
  /// Run files the run will write over that are not readable run files at
  /// all ("run_2.h5: damaged (not an HDF5 file)"): rewritten, as a sweep does.
  std::vector<std::string> damaged;
  bool has_manifest = false;
  std::size_t run_files = 0;
};

/// Inspects `variant_dir` for the run `expected`. The folder holds another
/// run when its manifest is another run's (manifest_differences) or cannot
/// be read, when a run file's root attributes are another
/// run's (scenario hash, record level, seed, replication or schema version),
/// or when it holds a run file this run does not write (run_<r>.h5 with
/// r >= expected.replications, or another name). Run files of this very run
/// without a manifest (a run stopped before it finished) are this run's: it
/// writes the same bytes over them. Reads only root attributes
/// and /census of each file. Never throws (but std::bad_alloc).
[[nodiscard]] FolderVerdict inspect_variant_folder(const std::string& variant_dir, const FolderManifest& expected);

/// Removes the run files (run_file_names) and manifest.toml of `variant_dir`
/// and nothing else; returns how many entries it removed. Throws
/// output::OutputError naming what it could not remove.
std::size_t clear_variant_folder(const std::string& variant_dir);

/// Removes `<variant_dir>/manifest.toml` if present; true if it did. Throws
/// output::OutputError.
bool clear_manifest(const std::string& variant_dir);

/// Why the variant folder `variant_dir` belongs to a sweep, which `run` and
/// `compare` must never write into (its index, sweep.h5, would not know
/// their files): "" when it does not, else e.g. "out is a sweep's folder
/// (out/sweep.h5)". A sweep's folder has sweep.h5 beside its variant
/// folders, and s<sample> folders inside them. Never throws (but std::bad_alloc).
[[nodiscard]] std::string sweep_folder_reason(const std::string& variant_dir);

/// Why `out_dir` holds the results of `run` or `compare`, where a sweep must
/// not write: "" when it does not, else the first sign found (a
/// comparison.h5, a <variant>/manifest.toml, or run_<r>.h5 files directly in
/// a variant folder). Never throws (but std::bad_alloc).
[[nodiscard]] std::string run_folder_reason(const std::string& out_dir);

/// Removes `<out_dir>/comparison.h5`, `comparison.txt` and `comparison.csv` where present;
/// returns how many it removed. Throws output::OutputError.
std::size_t clear_comparison_files(const std::string& out_dir);

}  // namespace tsim::batch
