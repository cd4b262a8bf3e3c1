#include "sim/batch/thread_count.hpp"

#include <gtest/gtest.h>

#include "tests/support/tiny_scenario.hpp"

using namespace tsim;
namespace fs = std::filesystem;

TEST(ThreadCount, CgroupV2CpuMax) {
  EXPECT_EQ(batch::cpus_from_cpu_max("max 100000\n"), std::nullopt);
  EXPECT_EQ(batch::cpus_from_cpu_max("200000 100000\n"), 2u);
  EXPECT_EQ(batch::cpus_from_cpu_max("150000 100000"), 2u);  // 1.5 CPUs round up
  EXPECT_EQ(batch::cpus_from_cpu_max("50000 100000"), 1u);   // at least one
  EXPECT_EQ(batch::cpus_from_cpu_max("garbage"), std::nullopt);
  EXPECT_EQ(batch::cpus_from_cpu_max(""), std::nullopt);
}

TEST(ThreadCount, CgroupV1Cfs) {
  EXPECT_EQ(batch::cpus_from_cfs("-1\n", "100000\n"), std::nullopt);
  EXPECT_EQ(batch::cpus_from_cfs("250000\n", "100000\n"), 3u);
  EXPECT_EQ(batch::cpus_from_cfs("100000", "0"), std::nullopt);
}

// The tightest quota on the process's cgroup and its ancestors counts.
TEST(ThreadCount, CgroupV2WalksUpToTheRoot) {
  const test::TempDir root("cgroup_v2");
  fs::create_directories(root.path() / "a/b");
  (void)root.write("cpu.max", "max 100000\n");
  (void)root.write("a/cpu.max", "300000 100000\n");
  (void)root.write("a/b/cpu.max", "max 100000\n");
  EXPECT_EQ(batch::cgroup_cpu_limit(root.path(), "0::/a/b\n"), 3u);
  EXPECT_EQ(batch::cgroup_cpu_limit(root.path(), "0::/\n"), std::nullopt);
}

// In a v1 container the path in /proc/self/cgroup is the host's; the mount is the container's own cgroup.
TEST(ThreadCount, CgroupV1ContainerMount) {
  const test::TempDir root("cgroup_v1");
  fs::create_directories(root.path() / "cpu,cpuacct");
  (void)root.write("cpu,cpuacct/cpu.cfs_quota_us", "200000\n");
  (void)root.write("cpu,cpuacct/cpu.cfs_period_us", "100000\n");
  EXPECT_EQ(batch::cgroup_cpu_limit(root.path(), "12:memory:/docker/x\n4:cpu,cpuacct:/docker/x\n"), 2u);
  EXPECT_EQ(batch::cgroup_cpu_limit(root.path(), "12:memory:/docker/x\n"), std::nullopt);  // no cpu controller
  EXPECT_EQ(batch::cgroup_cpu_limit(root.path() / "missing", "4:cpu:/\n"), std::nullopt);
}

TEST(ThreadCount, DefaultIsAtLeastOneAndAtMostTheAffinity) {
  const unsigned n = batch::default_thread_count();
  EXPECT_GE(n, 1u);
  EXPECT_LE(n, batch::affinity_cpu_count());
}
