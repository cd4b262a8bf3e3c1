// The variant folders a command writes (run: one; compare: the baseline and
// each policy): claimed, checked against the run about to write them before
// anything runs, and given their manifest.toml when that run completes
// (sim/batch/results_folder.hpp; docs/OUTPUT.md, "Results folders").
#pragma once

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "output/folder_lock.hpp"
#include "sim/batch/results_folder.hpp"

namespace tsim::app {

/// One variant folder and the run that will write it.
struct VariantFolder {
  std::string dir;
  batch::FolderManifest manifest;
};

/// The refusal for a folder that holds another run (verdict.conflicts not
/// empty): the folder, the first difference (and how many more) and the
/// ways out, --overwrite or another --out. Never throws (but std::bad_alloc).
[[nodiscard]] std::string another_run_message(const std::string& dir, const batch::FolderVerdict& verdict);

/// The time now, UTC, as ISO 8601 to the second ("2026-11-24T03:50:12Z").
/// Never throws (but std::bad_alloc).
[[nodiscard]] std::string utc_now_iso8601();

/// The variant folders of one command, held (FolderLock) while this lives.
class VariantFolders {
 public:
  /// Refuses a folder of a sweep (batch::sweep_folder_reason; UsageError,
  /// even with `overwrite`), claims every folder (claim_output_dir), then checks each against its run
  /// before anything is removed or written. Without `overwrite`, a folder
  /// holding another run's files or manifest is refused (UsageError,
  /// another_run_message); damaged run files this run writes over are named
  /// on `err`, and a manifest of this same run is removed, so a run stopped
  /// half-way leaves none. With `overwrite`, each folder's run files and
  /// manifest are removed first (nothing else), said on `err`. `command`
  /// ("run", "compare") starts those lines. Throws UsageError, or
  /// output::OutputError when a file cannot be removed.
  VariantFolders(std::vector<VariantFolder> folders, bool overwrite, const std::string& command, std::ostream& err);

  /// Writes folder `i`'s manifest.toml, stamped with the time now (UTC): call once its run files are all
  /// written. Throws output::OutputError.
  void finish(std::size_t i) const;

 private:
  std::vector<VariantFolder> folders_;
  std::vector<std::unique_ptr<output::FolderLock>> locks_;
};

}  // namespace tsim::app
