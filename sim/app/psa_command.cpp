#include "sim/app/psa_command.hpp"

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <filesystem>
#include <ostream>
#include <system_error>

#include "sim/app/cli_support.hpp"
#include "sim/app/commands.hpp"
#include "sim/app/stop_signal.hpp"
#include "sim/batch/psa.hpp"
#include "sim/batch/thread_count.hpp"
#include "sim/core/error.hpp"

namespace tsim::app {

namespace {

// Thresholds 0, step, 2 step, ... max (currency units per additional FTE).
std::vector<double> thresholds(double max, std::size_t points) {
  std::vector<double> out;
  for (std::size_t i = 0; i < points; ++i) out.push_back(max * static_cast<double>(i) / static_cast<double>(points - 1));
  return out;
}

}  // namespace

int cmd_psa(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::options_description opts("traineesim psa SCENARIO --policy P [options]");
  opts.add_options()("help,h", "show this help")
      ("policy,p", po::value<std::vector<std::string>>()->composing(), "the policy file to assess (exactly one)")
      ("draws,n", po::value<std::string>()->default_value("20"), "parameter sets drawn (Latin hypercube), 2..100000")
      ("sample-seed", po::value<std::string>()->default_value("1"), "seed of the Latin hypercube, 0..2147483647")
      ("design", po::value<std::string>(), "run these parameter sets (CSV: a header of uncertain parameter names, then rows) instead of drawing them")
      ("same-keys", "every draw uses replication keys 0..R-1 (shared noise: for sensitivity designs, not for the variance split)")
      ("max-threshold", po::value<std::string>()->default_value("500000"),
       "largest cost per additional FTE on the acceptability curve (currency units), 1..1e12");
  add_run_options(opts, "census");
  auto vm = parse_with(args, opts, "scenario");
  if (vm.count("help")) {
    out << opts << "\nDraws parameter sets from the [uncertain.<parameter>] tables of the scenario and the policy,\n"
                   "runs each R times for the baseline and the policy on common random numbers (in memory), and\n"
                   "writes <out>/psa_summary.txt, psa_runs.csv and psa_acceptability.csv (docs/OUTPUT.md).\n";
    return kExitOk;
  }
  if (!vm.count("scenario")) throw UsageError("psa needs a scenario file");
  const auto policies = policies_of(vm);
  if (policies.size() != 1) throw UsageError("psa needs exactly one --policy FILE");
  const RunSettings run = run_settings(vm);
  if (run.reps < 2) throw UsageError("psa needs --replications of at least 2 (to separate noise from parameters)");
  batch::PsaSettings s;
  s.draws = static_cast<std::size_t>(whole_number_option(vm, "draws", 2, 100000));
  s.sample_seed = static_cast<std::uint32_t>(whole_number_option(vm, "sample-seed", 0, 2147483647));
  s.replications = run.reps;
  s.seed = run.seed;
  const long long threads = whole_number_option(vm, "threads", 0, 4096);
  s.threads = threads == 0 ? batch::default_thread_count() : static_cast<std::size_t>(threads);
  const double max_threshold = static_cast<double>(whole_number_option(vm, "max-threshold", 1, 1000000000000LL));
  s.same_keys = vm.count("same-keys") > 0;
  s.lean_memory = run.lean_memory;
  if (vm.count("design")) s.design = batch::read_design_csv(vm["design"].as<std::string>());
  const std::string scenario = vm["scenario"].as<std::string>();
  const auto overrides = checked_overrides(vm);
  const std::string out_dir = out_option(vm).value_or("results/psa");
  const bool fresh_folder = !std::filesystem::exists(out_dir);
  auto lock = claim_output_dir(out_dir);
  // Bad input is found while the draws are loaded, before anything is
  // written: a folder this command made then holds only its lock file, and
  // goes with it (an existing folder is left as it was, lock file aside).
  const auto forget_folder = [&] {
    if (!fresh_folder) return;
    lock.reset();
    std::error_code ec;
    std::filesystem::remove(std::filesystem::path(out_dir) / ".traineesim.lock", ec);
    std::filesystem::remove(out_dir, ec);  // only if empty
  };
  const StopOnSignals signals;
  s.stop = &stop_flag();
  const std::size_t draws = s.design.rows.empty() ? s.draws : s.design.rows.size();
  out << fmt::format("traineesim psa: {} draws x {} replications x 2 sides = {} runs on {} thread(s)\n", draws,
                     s.replications, 2 * draws * s.replications, s.threads);
  batch::PsaResult result;
  try {
    result = batch::run_psa(scenario, policies.front(), overrides, s);
  } catch (const std::invalid_argument& e) {
    forget_folder();
    throw UsageError(e.what());
  } catch (const core::Cancelled&) {
    forget_folder();
    err << "traineesim psa: stopped; nothing was written\n";
    return 128 + stop_signal();
  } catch (...) {
    forget_folder();
    throw;
  }
  if (stop_flag().load()) {
    err << "traineesim psa: stopped; nothing was written\n";
    return 128 + stop_signal();
  }
  out << batch::write_psa_files(out_dir, result, thresholds(max_threshold, 51));
  out << fmt::format("Written under {}\n", out_dir);
  return kExitOk;
}

}  // namespace tsim::app
