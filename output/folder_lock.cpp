#include "output/folder_lock.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include "output/atomic_file.hpp"

namespace tsim::output {

FolderLock::FolderLock(const std::string& dir, Mode mode, const std::string& name) {
  const std::string path = (std::filesystem::path(dir) / name).string();
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd_ < 0) throw OutputError(fmt::format("{}: cannot open the folder's lock file: {}", path, std::strerror(errno)));
  const int op = (mode == Mode::exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB;
  int rc = 0;
  while ((rc = ::flock(fd_, op)) != 0 && errno == EINTR) {
  }
  if (rc == 0) return;
  const int err = errno;
  ::close(fd_);
  fd_ = -1;
  if (err == EWOULDBLOCK)
    throw FolderBusy(fmt::format("{} is being written by another traineesim command; wait for it to finish or "
                                 "choose another output folder (--out)",
                                 dir));
  throw OutputError(fmt::format("{}: cannot lock: {}", path, std::strerror(err)));
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

}  // namespace tsim::output
