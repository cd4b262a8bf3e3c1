// Temporary names, exclusive creation and the folder lock.
#include "output/atomic_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "output/folder_lock.hpp"

using namespace tsim;
namespace fs = std::filesystem;

namespace {
fs::path temp_dir(const std::string& name) {
  auto d = fs::temp_directory_path() / ("tsim_atomic_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}
}  // namespace

TEST(AtomicFile, PartialNamesAreFreshHiddenAndBesideTheFinalFile) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto p = output::partial_path("/some/dir/run_0.h5");
    EXPECT_TRUE(seen.insert(p).second) << p;
    EXPECT_EQ(fs::path(p).parent_path(), "/some/dir");
    EXPECT_TRUE(output::is_partial_name(fs::path(p).filename().string())) << p;
  }
  EXPECT_FALSE(output::is_partial_name("run_0.h5"));
  EXPECT_FALSE(output::is_partial_name("run_0.h5.partial"));  // the old, predictable name
}

TEST(AtomicFile, NewFilesAreNeverWrittenThroughAPlantedLink) {
  const auto dir = temp_dir("planted");
  const auto target = dir / "victim.txt";
  { std::ofstream(target) << "keep me"; }
  fs::create_symlink(target, dir / "planted");
  EXPECT_THROW(output::write_new_file((dir / "planted").string(), "overwritten"), output::OutputError);
  EXPECT_THROW(output::write_new_file(target.string(), "overwritten"), output::OutputError);
  std::ifstream in(target);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "keep me");
  output::write_new_file((dir / "fresh.txt").string(), "hello");
  EXPECT_EQ(fs::file_size(dir / "fresh.txt"), 5u);
  fs::remove_all(dir);
}

TEST(FolderLock, ASecondWriterRefusesAtOnce) {
  const auto dir = temp_dir("lock");
  {
    output::FolderLock first(dir.string());
    EXPECT_THROW(output::FolderLock second(dir.string()), output::FolderBusy);
    EXPECT_THROW(output::FolderLock shared(dir.string(), output::FolderLock::Mode::shared), output::FolderBusy);
  }
  output::FolderLock again(dir.string());  // released when the first went away
  fs::remove_all(dir);
}

TEST(FolderLock, ShardsShareAFolderButNotAShard) {
  const auto dir = temp_dir("shards");
  output::FolderLock a(dir.string(), output::FolderLock::Mode::shared);
  output::FolderLock b(dir.string(), output::FolderLock::Mode::shared);
  output::FolderLock shard0(dir.string(), output::FolderLock::Mode::exclusive, ".traineesim.shard-0-of-2.lock");
  EXPECT_THROW(output::FolderLock again(dir.string(), output::FolderLock::Mode::exclusive, ".traineesim.shard-0-of-2.lock"),
               output::FolderBusy);
  EXPECT_THROW(output::FolderLock whole(dir.string()), output::FolderBusy);
  fs::remove_all(dir);
}
