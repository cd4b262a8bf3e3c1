#include "sim/app/output_folder.hpp"

#include <chrono>
#include <ctime>
#include <fmt/format.h>

#include "sim/app/cli_support.hpp"

namespace tsim::app {

std::string another_run_message(const std::string& dir, const batch::FolderVerdict& verdict) {
  const std::size_t more = verdict.conflicts.empty() ? 0 : verdict.conflicts.size() - 1;
  return fmt::format("{} holds another run's files: {}{}; --overwrite removes this folder's run files and "
                     "manifest.toml first (nothing else), or choose another --out",
                     dir, verdict.conflicts.empty() ? "" : verdict.conflicts.front(),
                     more ? fmt::format("; and {} more file(s) differ", more) : "");
}

VariantFolders::VariantFolders(std::vector<VariantFolder> folders, bool overwrite, const std::string& command,
                               std::ostream& err)
    : folders_(std::move(folders)) {
  // Before anything is created: a sweep's folder is never written into, --overwrite or not.
  for (const auto& f : folders_)
    if (const auto reason = batch::sweep_folder_reason(f.dir); !reason.empty())
      throw UsageError(fmt::format("{}: {} writes its own folders; choose another --out", reason, command));
  for (const auto& f : folders_) locks_.push_back(claim_output_dir(f.dir));
  if (overwrite) {
    for (const auto& f : folders_)
      if (const std::size_t removed = batch::clear_variant_folder(f.dir))
        err << fmt::format("traineesim {}: --overwrite: removed {} file(s) of an earlier run from {}\n", command,
                           removed, f.dir);
    return;
  }
  std::vector<batch::FolderVerdict> verdicts;
  for (const auto& f : folders_) {
    verdicts.push_back(batch::inspect_variant_folder(f.dir, f.manifest));
    if (!verdicts.back().conflicts.empty()) throw UsageError(another_run_message(f.dir, verdicts.back()));
  }
  for (std::size_t i = 0; i < folders_.size(); ++i) {
    for (const auto& d : verdicts[i].damaged)
      err << fmt::format("traineesim {}: {}/{}, rewriting\n", command, folders_[i].dir, d);
    // The same run, written again: its manifest comes back when it completes.
    if (verdicts[i].has_manifest) batch::clear_manifest(folders_[i].dir);
  }
}

std::string utc_now_iso8601() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec);
}

void VariantFolders::finish(std::size_t i) const {
  auto manifest = folders_.at(i).manifest;
  manifest.written = utc_now_iso8601();
  batch::write_manifest(folders_.at(i).dir, manifest);
}

}  // namespace tsim::app
