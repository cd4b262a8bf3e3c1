#include <csignal>
#include <iostream>

#include "sim/app/commands.hpp"

#ifdef TRAINEESIM_WITH_MPI
#include <mpi.h>
#endif

int main(int argc, char** argv) {
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
