#include "sim/app/calibrate_command.hpp"

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <ostream>

#include "sim/app/cli_support.hpp"
#include "sim/app/commands.hpp"
#include "sim/app/stop_signal.hpp"
#include "sim/batch/calibration.hpp"
#include "sim/batch/commission.hpp"
#include "sim/batch/thread_count.hpp"
#include "sim/core/error.hpp"

namespace tsim::app {

int cmd_calibrate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::options_description opts("traineesim calibrate CALIBRATION.toml [options]");
  opts.add_options()("help,h", "show this help")
      ("out,o", po::value<std::string>(), "output folder (default: results/<calibration name>)")
      ("threads,j", po::value<std::string>()->default_value("0"), "replications run at once (0: all cores); results do not depend on it");
  auto vm = parse_with(args, opts, "calibration");
  if (vm.count("help")) {
    out << opts << "\nFits the [free.<parameter>] values of a scenario to [[targets]] (observed indicator values)\n"
                   "with NLopt BOBYQA on a common-random-numbers objective, then history-matches plausible ranges.\n"
                   "Writes <out>/calibration_fit.csv, backcast.csv and plausible.csv (scenarios/README.md).\n";
    return kExitOk;
  }
  if (!vm.count("calibration")) throw UsageError("calibrate needs a calibration file");
  const long long threads = whole_number_option(vm, "threads", 0, 4096);
  auto spec = scenario::load_calibration_file(vm["calibration"].as<std::string>());
  const std::string out_dir = out_option(vm).value_or("results/" + spec.name);
  const auto lock = claim_output_dir(out_dir);
  const StopOnSignals signals;
  const batch::CalibrationModel model(std::move(spec),
                                      threads == 0 ? batch::default_thread_count() : static_cast<std::size_t>(threads),
                                      &stop_flag());
  out << fmt::format("traineesim calibrate: {} free parameter(s), {} target(s), {} replications per evaluation\n",
                     model.spec().free.size(), model.spec().targets.size(), model.spec().replications);
  try {
    const auto fit = batch::fit_bobyqa(model);
    const auto ranges = batch::history_match(model);
    if (stop_flag().load()) throw core::Cancelled();
    out << batch::write_calibration_files(out_dir, model, fit, ranges);
  } catch (const core::Cancelled&) {
    err << "traineesim calibrate: stopped; nothing was written\n";
    return 128 + stop_signal();
  }
  out << fmt::format("Written under {}\n", out_dir);
  return kExitOk;
}

int cmd_commission(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::options_description opts("traineesim commission PLAN.toml [options]");
  opts.add_options()("help,h", "show this help")
      ("out,o", po::value<std::string>(), "output folder (default: results/<plan name>)")
      ("threads,j", po::value<std::string>()->default_value("0"), "replications run at once (0: all cores); results do not depend on it");
  auto vm = parse_with(args, opts, "plan");
  if (vm.count("help")) {
    out << opts << "\nFinds the training places per programme ([places.<parameter>], within bounds and an optional\n"
                   "budget) that reach [target] at least cost (NLopt COBYLA, common random numbers).\n"
                   "Writes <out>/commission_plan.csv and commission_runs.csv (scenarios/README.md).\n";
    return kExitOk;
  }
  if (!vm.count("plan")) throw UsageError("commission needs a commissioning file");
  const long long threads = whole_number_option(vm, "threads", 0, 4096);
  const auto spec = scenario::load_commission_file(vm["plan"].as<std::string>());
  const std::string out_dir = out_option(vm).value_or("results/" + spec.name);
  const auto lock = claim_output_dir(out_dir);
  const StopOnSignals signals;
  try {
    const auto plan = batch::optimise_commission(
        spec, threads == 0 ? batch::default_thread_count() : static_cast<std::size_t>(threads), &stop_flag());
    if (stop_flag().load()) throw core::Cancelled();
    out << batch::write_commission_files(out_dir, spec, plan);
    out << fmt::format("Written under {}\n", out_dir);
    return plan.feasible ? kExitOk : kExitFailure;
  } catch (const core::Cancelled&) {
    err << "traineesim commission: stopped; nothing was written\n";
    return 128 + stop_signal();
  }
}

}  // namespace tsim::app
