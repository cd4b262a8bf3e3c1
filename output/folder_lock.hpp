// An advisory lock on an output folder, held by a command while it writes
// there, so that a second command aiming at the same folder refuses at once
// instead of both failing half-way or publishing each other's files.
// flock(2) on "<dir>/.traineesim.lock": released by the kernel when the
// process ends, however it ends, so a killed command never leaves it stuck.
#pragma once

#include <stdexcept>
#include <string>

namespace tsim::output {

class FolderLock {
 public:
  enum class Mode {
    exclusive,  // the whole folder is this command's
    shared,     // several cooperating commands (shards of one sweep) share it
  };

  /// Takes the lock on `dir` (which must exist) at once, or throws
  /// FolderBusy naming the folder. `name` picks the lock file (shards take a
  /// shared lock on the folder and an exclusive one named after their shard).
  explicit FolderLock(const std::string& dir, Mode mode = Mode::exclusive, const std::string& name = ".traineesim.lock");
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
};

/// Another command holds the folder.
class FolderBusy : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace tsim::output
