#include <csignal>
#include <iostream>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "sim/app/commands.hpp"

#ifdef TRAINEESIM_WITH_MPI
#include <mpi.h>
#endif

int main(int argc, char** argv) {
#if defined(__GLIBC__)
  // Before any thread starts. By default glibc raises its mmap threshold to
  // the size of each large block freed (up to 32 MiB) and keeps later blocks
  // of that size in its heaps, where replication after replication in one
  // process fragmented them: `run -r 8 -j 1` peaked at 102-210 MB against
  // 91 MB for one replication, `compare -r 8 -j 1` at up to 489 MB against
  // 137 MB. A fixed threshold gives blocks of 16 MiB or more (the people
  // tables, big day buckets) their own mappings, returned when freed, at no
  // measurable cost to one run (bench/README.md, sixth pass).
  mallopt(M_MMAP_THRESHOLD, 16 << 20);
#endif
#ifdef TRAINEESIM_WITH_MPI
  // Work is spread over ranks only by `sweep`; every command runs under mpirun.
  MPI_Init(&argc, &argv);
#endif
  // Past a file-size limit (ulimit -f) a write should fail with EFBIG and be
  // reported like a full disk, not kill the process with SIGXFSZ.
  std::signal(SIGXFSZ, SIG_IGN);
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  const int status = tsim::app::run_command_line(args, std::cout, std::cerr);
#ifdef TRAINEESIM_WITH_MPI
  int worst = status;
  MPI_Allreduce(&status, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  MPI_Finalize();
  return worst;
#else
  return status;
#endif
}
