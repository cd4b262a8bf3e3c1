#include "sim/app/commands.hpp"
#include "sim/app/cli_support.hpp"
#include "sim/app/calibrate_command.hpp"
#include "sim/app/psa_command.hpp"
#include "sim/app/export_command.hpp"
#include "sim/app/horizon_summary.hpp"
#include "sim/app/output_folder.hpp"
#include "sim/app/sweep_command.hpp"

#include <algorithm>
#include <chrono>
#include <boost/program_options.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <optional>
#include <ostream>
#include <sstream>
#include <unistd.h>

#include "output/comparison_writer.hpp"
#include "sim/batch/build_info.hpp"
#include "sim/batch/comparison.hpp"
#include "sim/batch/replications.hpp"
#include "sim/batch/run_header.hpp"
#include "sim/app/stop_signal.hpp"
#include "sim/core/error.hpp"
#include "sim/app/graphviz.hpp"
#include "sim/app/policy_summary.hpp"
#include "sim/app/new_command.hpp"
#include "sim/model/career_graph.hpp"
#include "sim/model/pipeline_view.hpp"
#include "sim/model/indicators.hpp"
#include "sim/scenario/scenario.hpp"

namespace tsim::app {

namespace po = boost::program_options;

namespace {

constexpr const char* kUsage =
    "traineesim: follows people through healthcare training pipelines.\n"
    "\n"
    "usage: traineesim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO        simulate a scenario and write one HDF5 file per replication\n"
    "  validate SCENARIO.. check scenario files and report every problem\n"
    "  describe SCENARIO   print the pipeline in stage order (text, --dot, or --svg FILE)\n"
    "  new NAME            write a commented template scenario NAME.toml to start from\n"
    "  compare SCENARIO --policy P...  baseline vs policies on common random numbers, with paired CIs\n"
    "  sweep SWEEP.toml    many runs: variants x parameter samples x replications, resumable\n"
    "  psa SCENARIO --policy P  parameter uncertainty: draws x replications, paired, variance split\n"
    "  calibrate CAL.toml  fit free parameters to observed targets (BOBYQA), plausible ranges, back-cast\n"
    "  commission PLAN.toml  least-cost training places per programme that reach a target (COBYLA)\n"
    "  export RESULTS --csv DIR  a results folder as CSV: one long census table, compare's indicators\n"
    "\n"
    "`traineesim <command> --help` shows the options of a command.\n"
    "Exit status: 0 success, 1 failure while running, 2 bad input.\n";

std::chrono::steady_clock::duration every(double seconds) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
}

// Runs the replications of one variant with progress on stderr.
std::vector<batch::FileRun> run_variant(const scenario::LoadedScenario& loaded, const std::string& variant,
                                        const std::string& variant_dir, const RunSettings& settings,
                                        std::uint32_t seed, bool indicators, Progress& progress, std::ostream& err) {
  batch::ReplicationSettings rs;
  rs.master_seed = seed;
  rs.replications = settings.reps;
  rs.threads = settings.threads;
  rs.record_level = settings.level;
  rs.indicators = indicators;
  rs.lean_memory = settings.lean_memory;
  rs.stop = settings.stop;
  batch::ReplicationProgress on_progress;
  if (!settings.quiet)
    on_progress = [&progress](const batch::VariantProgress& p) { progress.update(p); };
  std::string thread_error;
  auto done = batch::run_replications(loaded, variant, variant_dir, rs, on_progress, &thread_error);
  progress.variant_done(settings.reps);
  report_thread_error(thread_error, err);
  return done;
}

// Per-replication lines and the workforce at the horizon by role.
void print_run_summary(const std::vector<batch::FileRun>& done, const model::ScenarioSpec& spec,
                       const RunSettings& settings, const std::string& variant_dir, std::ostream& out) {
  std::uint64_t total_records = 0, total_bytes = 0;
  double total_seconds = 0;
  for (std::size_t r = 0; r < done.size(); ++r) {
    const batch::FileRun& d = done[r];
    total_records += d.summary.records;
    total_bytes += d.bytes;
    total_seconds += d.seconds;
    // With --lean-memory, the most people the run held in memory at once (leavers' places reused).
    const std::string held =
        settings.lean_memory ? fmt::format(" ({} held at once, at most)", d.summary.person_slots) : std::string();
    out << fmt::format("replication {}: {} people{}, {} records in {:.2f} s ({:.0f} records/s) -> {} ({})\n", r,
                       d.summary.persons, held, d.summary.records, d.seconds,
                       static_cast<double>(d.summary.records) / d.seconds, d.path, human_bytes(d.bytes));
  }
  print_horizon_summary(done, spec, out);
  out << fmt::format("\n{} records, {} written, {:.2f} s of run time on {} thread(s). Files: {}\n", total_records,
                     human_bytes(total_bytes), total_seconds, settings.threads, variant_dir);
}

int cmd_run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::options_description opts("traineesim run SCENARIO [options]");
  opts.add_options()("help,h", "show this help")
      ("policy,p", po::value<std::vector<std::string>>()->composing(), "apply a policy file (several: all, in order)");
  add_run_options(opts, "full");
  auto vm = parse_with(args, opts, "scenario");
  if (vm.count("help")) {
    out << opts << "\nWrites <out>/<variant>/run_<replication>.h5 (layout: docs/OUTPUT.md); the variant is\n"
                   "'baseline', or the names of the policies applied joined by '+', with manifest.toml last.\n"
                   "A folder holding another run's files (scenario, record level, seed, more replications)\n"
                   "is refused; --overwrite removes them first. The same run again (also after a stop) is fine.\n";
    return kExitOk;
  }
  if (!vm.count("scenario")) throw UsageError("run needs a scenario file: traineesim run SCENARIO");
  RunSettings settings = run_settings(vm);
  (void)out_option(vm);  // checked before the scenario is read
  const auto loaded = scenario::load_scenario_file(vm["scenario"].as<std::string>(), checked_overrides(vm), policies_of(vm));
  const auto& spec = loaded.spec;
  const std::string variant = batch::variant_name(spec);
  const std::string out_dir = out_option(vm).value_or("results/" + spec.name);
  const std::string variant_dir = (std::filesystem::path(out_dir) / variant).string();
  const VariantFolders folders(
      {{variant_dir, batch::make_manifest(loaded, variant, settings.seed, settings.reps, settings.level)}},
      settings.overwrite, "run", err);

  out << fmt::format("traineesim {}: scenario '{}' ({}){}, seed {}, {} replication(s), record level {}\n",
                     batch::build_info().version, spec.name, loaded.path,
                     variant == "baseline" ? "" : ", policies " + variant, settings.seed, settings.reps,
                     settings.record)
      << std::flush;  // at once: the first progress line may be a while coming
  print_warnings(loaded, err);
  print_estimate({{&spec, settings.reps}}, settings.level, settings.lean_memory, settings.threads,
                 physical_memory_bytes(), out, err);
  Progress progress(err, ::isatty(2) == 1, settings.reps, spec.horizon_days / core::kDaysPerYear,
                    every(settings.progress_every_s));
  const StopOnSignals signals;
  settings.stop = &stop_flag();
  const auto done = run_variant(loaded, variant, variant_dir, settings, settings.seed, false, progress, err);
  if (!settings.quiet) progress.done();
  if (stop_signal() != 0) return report_stopped("run", done, err);
  if (report_failures(done, err)) return kExitFailure;
  folders.finish(0);
  print_run_summary(done, spec, settings, variant_dir, out);
  return kExitOk;
}

// A signal stopped the command; `status` is its exit status.
struct Stopped {
  int status;
};

// Settings of `compare`, checked.
struct CompareSettings {
  RunSettings run;
  std::string scenario_path;
  std::vector<std::string> policy_files;
  bool independent = false;
};

CompareSettings compare_settings(const po::variables_map& vm) {
  if (!vm.count("scenario")) throw UsageError("compare needs a scenario file");
  CompareSettings c;
  c.policy_files = policies_of(vm);
  if (c.policy_files.empty()) throw UsageError("compare needs at least one --policy FILE");
  c.run = run_settings(vm);
  if (c.run.level == model::RecordLevel::summary)
    throw UsageError("compare needs --record census or full (indicators use /persons)");
  if (c.run.reps < 2) throw UsageError("compare needs --replications of at least 2 for confidence intervals");
  c.scenario_path = vm["scenario"].as<std::string>();
  c.independent = vm.count("independent-seeds") > 0;
  return c;
}

// Runs the baseline and every policy, each into <out_dir>/<variant>/, and
// prints the comparison. Throws std::runtime_error when a variant fails.
void run_comparison(const CompareSettings& c, const std::vector<scenario::Override>& overrides,
                    const std::optional<std::string>& out_dir_option, std::ostream& out, std::ostream& err) {
  // Each policy names a variant's folder: refuse two alike before anything runs.
  scenario::check_distinct_policy_names(c.policy_files);
  const auto base = scenario::load_scenario_file(c.scenario_path, overrides);
  std::vector<scenario::LoadedScenario> variants;
  for (const auto& p : c.policy_files) variants.push_back(scenario::load_scenario_file(c.scenario_path, overrides, {p}));
  const std::string out_dir = out_dir_option ? *out_dir_option : "results/" + base.spec.name + "-compare";
  const auto lock = claim_output_dir(out_dir);
  auto folder_of = [&](const scenario::LoadedScenario& l, const std::string& name, std::uint32_t seed) {
    return VariantFolder{(std::filesystem::path(out_dir) / name).string(),
                         batch::make_manifest(l, name, seed, c.run.reps, c.run.level)};
  };
  std::vector<VariantFolder> plan{folder_of(base, "baseline", c.run.seed)};
  for (std::size_t v = 0; v < variants.size(); ++v)
    plan.push_back(folder_of(variants[v], variants[v].spec.policies.front(),
                             batch::policy_seed(c.run.seed, v, c.independent)));
  const VariantFolders folders(std::move(plan), c.run.overwrite, "compare", err);
  if (c.run.overwrite) (void)batch::clear_comparison_files(out_dir);
  out << fmt::format("traineesim compare: scenario '{}', {} polic{}, {} replications, seed {}{}\n", base.spec.name,
                     variants.size(), variants.size() == 1 ? "y" : "ies", c.run.reps, c.run.seed,
                     c.independent ? " (independent seeds for policies)" : " (common random numbers)")
      << std::flush;
  print_warnings(base, err);
  PlannedRuns planned{{&base.spec, c.run.reps}};
  for (const auto& v : variants) planned.emplace_back(&v.spec, c.run.reps);
  print_estimate(planned, c.run.level, c.run.lean_memory, c.run.threads, physical_memory_bytes(), out, err);
  Progress progress(err, ::isatty(2) == 1, static_cast<std::uint64_t>(c.run.reps) * (variants.size() + 1),
                    base.spec.horizon_days / core::kDaysPerYear, every(c.run.progress_every_s));
  std::vector<std::string> finished_dirs;  // variants whose every run file is complete
  auto run_one_variant = [&](const scenario::LoadedScenario& l, const std::string& name, std::uint32_t seed,
                             std::size_t folder) {
    const std::string dir = (std::filesystem::path(out_dir) / name).string();
    auto done = run_variant(l, name, dir, c.run, seed, true, progress, err);
    const bool failed = std::any_of(done.begin(), done.end(), [](const batch::FileRun& d) { return !d.error.empty(); });
    if (!c.run.quiet && (stop_signal() != 0 || failed)) progress.done();
    if (stop_signal() != 0) {
      const int status = report_stopped("compare", done, err);
      for (const auto& d : finished_dirs)
        err << fmt::format("  also kept, complete: all {} run file(s) in {}\n", c.run.reps, d);
      throw Stopped{status};
    }
    if (report_failures(done, err)) throw std::runtime_error("variant " + name + " failed");
    folders.finish(folder);
    finished_dirs.push_back(dir);
    std::vector<model::IndicatorSet> indicators;
    for (auto& d : done) indicators.push_back(std::move(d.indicators));
    return indicators;
  };
  output::ComparisonTable table;
  for (const auto& v : variants)
    if (v.sha256 == base.sha256) {
      table.same_as_baseline.push_back(v.spec.policies.front());
      err << fmt::format("traineesim compare: warning: policy '{}' resolves to the same scenario as the baseline (an "
                         "override replaces what it sets); its differences will all be 0\n",
                         v.spec.policies.front());
    }
  const auto baseline = run_one_variant(base, "baseline", c.run.seed, 0);
  for (std::size_t v = 0; v < variants.size(); ++v) {
    const std::string name = variants[v].spec.policies.front();
    const auto policy = run_one_variant(variants[v], name, batch::policy_seed(c.run.seed, v, c.independent), v + 1);
    batch::append_policy(table, name, baseline, policy);
  }
  if (!c.run.quiet) progress.done();
  const auto files = batch::write_comparison_files(out_dir, table, base.spec.name, c.run.seed, c.run.reps, c.independent);
  // The headline rows on screen; everything is in the files.
  for (const auto& line : table.headline()) out << line << "\n";
  out << fmt::format("\nAll {} rows: {} (and {} for pandas and R)\nRun files and {} under {}\n", table.size(), files.txt,
                     files.csv, "comparison.h5", out_dir);
}

int cmd_compare(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::options_description opts("traineesim compare SCENARIO --policy P [--policy Q ...] [options]");
  opts.add_options()("help,h", "show this help")
      ("policy,p", po::value<std::vector<std::string>>()->composing(), "a policy file to compare with the baseline (repeatable)")
      ("independent-seeds", "give policy runs other seeds than the baseline (to show what common random numbers buy)");
  add_run_options(opts, "census");
  auto vm = parse_with(args, opts, "scenario");
  if (vm.count("help")) {
    out << opts << "\nRuns the baseline and each policy on the same random numbers, writes every run file,\n"
                   "<out>/comparison.h5 and <out>/comparison.txt (indicators: docs/INDICATORS.md).\n";
    return kExitOk;
  }
  CompareSettings settings = compare_settings(vm);
  const auto out_dir = out_option(vm);
  const StopOnSignals signals;
  settings.run.stop = &stop_flag();
  try {
    run_comparison(settings, checked_overrides(vm), out_dir, out, err);
  } catch (const Stopped& s) {
    err << "traineesim compare: no comparison was written; rerun the command\n";
    return s.status;
  }
  return kExitOk;
}

int cmd_validate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::options_description opts("traineesim validate SCENARIO... [options]");
  opts.add_options()("help,h", "show this help")
      ("policy,p", po::value<std::vector<std::string>>()->composing(), "apply a policy file first (repeatable, in order)")
      ("set", po::value<std::vector<std::string>>()->composing(), "apply an override before validating");
  auto vm = parse_with(args, opts, "scenario", true);
  if (vm.count("help")) {
    out << opts;
    return kExitOk;
  }
  if (!vm.count("scenario")) throw UsageError("validate needs at least one scenario file");
  int status = kExitOk;
  for (const auto& path : vm["scenario"].as<std::vector<std::string>>()) {
    try {
      const auto loaded = scenario::load_scenario_file(path, checked_overrides(vm), policies_of(vm));
      print_warnings(loaded, err);
      out << fmt::format("ok: {} ('{}': {} states, {} transitions, {} pools, {} routes)\n", path, loaded.spec.name,
                         loaded.spec.states.size(), loaded.spec.transitions.size(), loaded.spec.pools.size(),
                         loaded.spec.routes.size());
    } catch (const core::InputError& e) {
      err << e.what() << '\n';
      err << fmt::format("{}: {} problem(s)\n", path, e.problems().size());
      status = kExitBadInput;
    }
  }
  return status;
}

int cmd_describe(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::options_description opts("traineesim describe SCENARIO [options]");
  opts.add_options()("help,h", "show this help")("dot", "write the career graph as Graphviz DOT")
      ("svg", po::value<std::string>(), "draw the career graph into FILE (needs Graphviz's dot program)")
      ("policy,p", po::value<std::vector<std::string>>()->composing(), "apply a policy file first (repeatable, in order)")
      ("set", po::value<std::vector<std::string>>()->composing(), "apply an override first");
  auto vm = parse_with(args, opts, "scenario");
  if (vm.count("help")) {
    out << opts << "\nPrints the ways in (routes, intakes, stock), the pools and who provides them, and the\n"
                   "states in stage order from the ways in to the exits. With --policy, the pipeline the\n"
                   "policy makes (a policy can add states, routes and pools).\n";
    return kExitOk;
  }
  if (!vm.count("scenario")) throw UsageError("describe needs a scenario file");
  if (vm.count("svg") && vm["svg"].as<std::string>().empty()) throw UsageError("--svg must name a file");
  const auto loaded =
      scenario::load_scenario_file(vm["scenario"].as<std::string>(), checked_overrides(vm), policies_of(vm));
  print_warnings(loaded, err);
  const model::CareerGraph graph(loaded.spec);
  if (vm.count("svg")) {
    std::ostringstream dot;
    model::write_pipeline_dot(loaded.spec, graph, dot);
    const std::string svg = vm["svg"].as<std::string>();
    render_svg(dot.str(), svg);
    out << "wrote " << svg << "\n";
  }
  if (vm.count("dot")) model::write_pipeline_dot(loaded.spec, graph, out);
  else if (!vm.count("svg")) {
    model::write_pipeline_text(loaded.spec, graph, out);
    if (!loaded.policy_texts.empty())
      write_policy_summary(loaded, scenario::load_scenario_file(vm["scenario"].as<std::string>(), checked_overrides(vm)),
                           out);
  }
  return kExitOk;
}

}  // namespace

int run_command_line(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    (args.empty() ? err : out) << kUsage;
    return args.empty() ? kExitBadInput : kExitOk;
  }
  if (args[0] == "--version") {
    out << "traineesim " << batch::build_info().version << " (" << batch::build_info().git_describe << ")\n";
    return kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  reset_stop_flag();  // a signal that stopped an earlier command in this process must not stop this one
  try {
    if (args[0] == "run") return cmd_run(rest, out, err);
    if (args[0] == "validate") return cmd_validate(rest, out, err);
    if (args[0] == "describe") return cmd_describe(rest, out, err);
    if (args[0] == "compare") return cmd_compare(rest, out, err);
    if (args[0] == "sweep") return cmd_sweep(rest, out, err);
    if (args[0] == "new") return cmd_new(rest, out, err);
    if (args[0] == "psa") return cmd_psa(rest, out, err);
    if (args[0] == "calibrate") return cmd_calibrate(rest, out, err);
    if (args[0] == "commission") return cmd_commission(rest, out, err);
    if (args[0] == "export") return cmd_export(rest, out, err);
    auto guess = core::closest_match(args[0], {"run", "validate", "describe", "compare", "sweep", "new", "psa",
                                               "calibrate", "commission", "export"});
    err << fmt::format("traineesim: error: unknown command '{}'{}\n\n{}", args[0],
                       guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess), kUsage);
    return kExitBadInput;
  } catch (const UsageError& e) {
    err << "traineesim " << args[0] << ": error: " << e.what() << "\n(see traineesim " << args[0] << " --help)\n";
    return kExitBadInput;
  } catch (const core::InputError& e) {
    err << e.what() << '\n';
    return kExitBadInput;
  } catch (const std::exception& e) {
    err << "traineesim " << args[0] << ": failed: " << e.what() << '\n';
    return kExitFailure;
  }
}

}  // namespace tsim::app
