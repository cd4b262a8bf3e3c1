#include "sim/app/commands.hpp"
#include "sim/app/cli_support.hpp"
#include "sim/app/sweep_command.hpp"

#include <boost/program_options.hpp>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <ostream>
#include <unistd.h>

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <sstream>

#include "output/atomic_file.hpp"
#include "output/comparison_writer.hpp"
#include "output/hdf5_run_writer.hpp"
#include "sim/core/error.hpp"
#include "sim/model/career_graph.hpp"
#include "sim/model/indicators.hpp"
#include "sim/model/run.hpp"
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
    "  describe SCENARIO   print the career graph (as text, or Graphviz with --dot)\n"
    "  compare SCENARIO --policy P...  baseline vs policies on common random numbers, with paired CIs\n"
    "  sweep SWEEP.toml    many runs: variants x parameter samples x replications, resumable\n"
    "\n"
    "`traineesim <command> --help` shows the options of a command.\n"
    "Exit status: 0 success, 1 failure while running, 2 bad input.\n";

int cmd_run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::options_description opts("traineesim run SCENARIO [options]");
  opts.add_options()("help,h", "show this help")
      ("policy,p", po::value<std::vector<std::string>>()->composing(), "apply a policy file (several: all, in order)");
  add_run_options(opts, "full");
  po::options_description hidden;
  hidden.add_options()("scenario", po::value<std::string>());
  po::positional_options_description pos;
  pos.add("scenario", 1);
  auto vm = parse(args, opts, pos, hidden);
  if (vm.count("help")) {
    out << opts << "\nWrites <out>/<variant>/run_<replication>.h5 (layout: docs/OUTPUT.md); the variant is\n"
                   "'baseline', or the names of the policies applied joined by '+'.\n";
    return kExitOk;
  }
  if (!vm.count("scenario")) throw UsageError("run needs a scenario file: traineesim run SCENARIO");
  const RunSettings settings = run_settings(vm);
  const auto loaded = scenario::load_scenario_file(vm["scenario"].as<std::string>(), overrides_of(vm), policies_of(vm));
  const auto& spec = loaded.spec;
  std::string variant;
  for (const auto& p : spec.policies) variant += (variant.empty() ? "" : "+") + p;
  if (variant.empty()) variant = "baseline";
  const std::string out_dir = vm.count("out") ? vm["out"].as<std::string>() : "results/" + spec.name;
  const std::string variant_dir = (std::filesystem::path(out_dir) / variant).string();
  make_output_dir(variant_dir);

  out << fmt::format("traineesim {}: scenario '{}' ({}){}, seed {}, {} replication(s), record level {}\n",
                     TRAINEESIM_VERSION, spec.name, loaded.path, variant == "baseline" ? "" : ", policies " + variant,
                     settings.seed, settings.reps, settings.record);
  Progress progress(err, ::isatty(2) == 1);
  const auto done = run_replications(loaded, variant, variant_dir, settings, static_cast<std::uint32_t>(settings.seed),
                                     false, progress);
  if (report_failures(done, err)) return kExitFailure;

  std::vector<double> mean_headcount(spec.states.size(), 0.0);
  std::uint64_t total_records = 0, total_bytes = 0;
  double total_seconds = 0;
  for (std::size_t r = 0; r < done.size(); ++r) {
    const Done& d = done[r];
    total_records += d.summary.records;
    total_bytes += d.bytes;
    total_seconds += d.seconds;
    for (std::size_t s = 0; s < spec.states.size(); ++s)
      mean_headcount[s] += static_cast<double>(d.summary.final_headcount[s]) / static_cast<double>(settings.reps);
    out << fmt::format("replication {}: {} people, {} records in {:.2f} s ({:.0f} records/s) -> {} ({})\n", r,
                       d.summary.persons, d.summary.records, d.seconds,
                       static_cast<double>(d.summary.records) / d.seconds, d.path, human_bytes(d.bytes));
  }
  out << fmt::format("\nheadcount at the horizon ({} days after {}){}:\n", spec.horizon_days,
                     core::format_date(spec.start_date), settings.reps > 1 ? ", mean over replications" : "");
  for (std::size_t s = 0; s < spec.states.size(); ++s)
    out << fmt::format("  {:<32} {:>6} {:>12.1f}\n", spec.states[s].name, model::to_string(spec.states[s].kind),
                       mean_headcount[s]);
  out << fmt::format("\n{} records, {} written, {:.2f} s of run time on {} thread(s). Files: {}\n", total_records,
                     human_bytes(total_bytes), total_seconds, settings.threads, variant_dir);
  return kExitOk;
}

// Mean and 95% half-width (Student t) of a sample; NaN values are skipped.
struct Interval {
  double mean = 0, half_width = 0, variance = 0;
  std::size_t n = 0;
};
Interval interval(const std::vector<double>& xs) {
  Interval iv;
  double sum = 0;
  for (double x : xs)
    if (!std::isnan(x)) sum += x, ++iv.n;
  if (iv.n == 0) return {std::nan(""), std::nan(""), std::nan(""), 0};
  iv.mean = sum / static_cast<double>(iv.n);
  double ss = 0;
  for (double x : xs)
    if (!std::isnan(x)) ss += (x - iv.mean) * (x - iv.mean);
  iv.variance = iv.n > 1 ? ss / static_cast<double>(iv.n - 1) : std::nan("");
  iv.half_width = iv.n > 1 ? boost::math::quantile(boost::math::students_t(static_cast<double>(iv.n - 1)), 0.975) *
                                 std::sqrt(iv.variance / static_cast<double>(iv.n))
                           : std::nan("");
  return iv;
}

int cmd_compare(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::options_description opts("traineesim compare SCENARIO --policy P [--policy Q ...] [options]");
  opts.add_options()("help,h", "show this help")
      ("policy,p", po::value<std::vector<std::string>>()->composing(), "a policy file to compare with the baseline (repeatable)")
      ("independent-seeds", "give policy runs other seeds than the baseline (to show what common random numbers buy)");
  add_run_options(opts, "census");
  po::options_description hidden;
  hidden.add_options()("scenario", po::value<std::string>());
  po::positional_options_description pos;
  pos.add("scenario", 1);
  auto vm = parse(args, opts, pos, hidden);
  if (vm.count("help")) {
    out << opts << "\nRuns the baseline and each policy on the same random numbers, writes every run file,\n"
                   "<out>/comparison.h5 and <out>/comparison.txt (indicators: docs/INDICATORS.md).\n";
    return kExitOk;
  }
  if (!vm.count("scenario")) throw UsageError("compare needs a scenario file");
  const auto policy_files = policies_of(vm);
  if (policy_files.empty()) throw UsageError("compare needs at least one --policy FILE");
  RunSettings settings = run_settings(vm);
  if (settings.level == model::RecordLevel::summary)
    throw UsageError("compare needs --record census or full (indicators use /persons)");
  if (settings.reps < 2) throw UsageError("compare needs --replications of at least 2 for confidence intervals");
  const std::string path = vm["scenario"].as<std::string>();
  const auto base = scenario::load_scenario_file(path, overrides_of(vm));
  std::vector<scenario::LoadedScenario> variants;
  for (const auto& p : policy_files) variants.push_back(scenario::load_scenario_file(path, overrides_of(vm), {p}));
  const std::string out_dir = vm.count("out") ? vm["out"].as<std::string>() : "results/" + base.spec.name + "-compare";
  make_output_dir(out_dir);
  const bool independent = vm.count("independent-seeds") > 0;

  out << fmt::format("traineesim compare: scenario '{}', {} polic{}, {} replications, seed {}{}\n", base.spec.name,
                     variants.size(), variants.size() == 1 ? "y" : "ies", settings.reps, settings.seed,
                     independent ? " (independent seeds for policies)" : " (common random numbers)");
  Progress progress(err, ::isatty(2) == 1);
  auto run_variant = [&](const scenario::LoadedScenario& l, const std::string& name, std::uint32_t seed) {
    const std::string dir = (std::filesystem::path(out_dir) / name).string();
    make_output_dir(dir);
    auto done = run_replications(l, name, dir, settings, seed, true, progress);
    if (report_failures(done, err)) throw std::runtime_error("variant " + name + " failed");
    return done;
  };
  const auto baseline = run_variant(base, "baseline", static_cast<std::uint32_t>(settings.seed));

  output::ComparisonTable table;
  for (std::size_t v = 0; v < variants.size(); ++v) {
    const std::string name = variants[v].spec.policies.front();
    // Independent seeds: a different master seed for the policy (documented in docs/INDICATORS.md).
    const auto seed = static_cast<std::uint32_t>(independent ? (settings.seed + 1000003 * (v + 1)) % 2147483648LL : settings.seed);
    const auto policy = run_variant(variants[v], name, seed);
    const auto& names = baseline.front().indicators.names;
    for (std::size_t k = 0; k < names.size(); ++k) {
      std::vector<double> b, p, d;
      for (std::size_t r = 0; r < baseline.size(); ++r) {
        const auto& pn = policy[r].indicators;
        if (k >= pn.names.size() || pn.names[k] != names[k]) continue;  // indicator sets differ (new states)
        b.push_back(baseline[r].indicators.values[k]);
        p.push_back(pn.values[k]);
        d.push_back(p.back() - b.back());
      }
      if (d.empty()) continue;
      const auto ib = interval(b), ip = interval(p), id = interval(d);
      const double unpaired = boost::math::quantile(boost::math::students_t(static_cast<double>(std::max<std::size_t>(2, ib.n) - 1)), 0.975) *
                              std::sqrt(ib.variance / static_cast<double>(ib.n) + ip.variance / static_cast<double>(ip.n));
      table.add(names[k], name, ib.mean, ip.mean, id.mean, id.mean - id.half_width, id.mean + id.half_width, id.half_width,
                unpaired, static_cast<int>(id.n));
    }
    // Cost per additional qualified FTE in post at the horizon (ratio of mean differences).
    std::vector<double> dc, df;
    for (std::size_t r = 0; r < baseline.size(); ++r) {
      const auto& bi = baseline[r].indicators;
      const auto& pi = policy[r].indicators;
      auto value = [](const model::IndicatorSet& s, const std::string& n) {
        for (std::size_t i = 0; i < s.names.size(); ++i)
          if (s.names[i] == n) return s.values[i];
        return std::nan("");
      };
      dc.push_back(value(pi, "total cost") - value(bi, "total cost"));
      df.push_back(value(pi, "qualified FTE in post at the horizon") - value(bi, "qualified FTE in post at the horizon"));
    }
    const double ratio = interval(dc).mean / interval(df).mean;
    table.add("cost per additional qualified FTE in post", name, std::nan(""), std::nan(""), ratio, std::nan(""),
              std::nan(""), std::nan(""), std::nan(""), static_cast<int>(dc.size()));
  }
  const std::string h5 = (std::filesystem::path(out_dir) / "comparison.h5").string();
  const std::string txt = (std::filesystem::path(out_dir) / "comparison.txt").string();
  output::write_comparison(h5, table, base.spec.name, settings.seed, settings.reps, independent);
  std::ostringstream text;
  table.write_text(text);
  output::write_text_file(txt, text.str());
  // The headline rows on screen; everything is in the files.
  for (const auto& line : table.headline()) out << line << "\n";
  out << fmt::format("\nAll {} rows: {}\nRun files and {} under {}\n", table.size(), txt, "comparison.h5", out_dir);
  return kExitOk;
}

int cmd_validate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::options_description opts("traineesim validate SCENARIO... [options]");
  opts.add_options()("help,h", "show this help")
      ("set", po::value<std::vector<std::string>>()->composing(), "apply an override before validating");
  po::options_description hidden;
  hidden.add_options()("scenario", po::value<std::vector<std::string>>());
  po::positional_options_description pos;
  pos.add("scenario", -1);
  auto vm = parse(args, opts, pos, hidden);
  if (vm.count("help")) {
    out << opts;
    return kExitOk;
  }
  if (!vm.count("scenario")) throw UsageError("validate needs at least one scenario file");
  int status = kExitOk;
  for (const auto& path : vm["scenario"].as<std::vector<std::string>>()) {
    try {
      const auto loaded = scenario::load_scenario_file(path, overrides_of(vm));
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

int cmd_describe(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
  po::options_description opts("traineesim describe SCENARIO [options]");
  opts.add_options()("help,h", "show this help")("dot", "write the career graph as Graphviz DOT")
      ("set", po::value<std::vector<std::string>>()->composing(), "apply an override first");
  po::options_description hidden;
  hidden.add_options()("scenario", po::value<std::string>());
  po::positional_options_description pos;
  pos.add("scenario", 1);
  auto vm = parse(args, opts, pos, hidden);
  if (vm.count("help")) {
    out << opts;
    return kExitOk;
  }
  if (!vm.count("scenario")) throw UsageError("describe needs a scenario file");
  const auto loaded = scenario::load_scenario_file(vm["scenario"].as<std::string>(), overrides_of(vm));
  model::CareerGraph graph(loaded.spec);
  if (vm.count("dot")) graph.write_dot(out);
  else graph.write_text(out);
  return kExitOk;
}

}  // namespace

int run_command_line(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    (args.empty() ? err : out) << kUsage;
    return args.empty() ? kExitBadInput : kExitOk;
  }
  if (args[0] == "--version") {
    out << "traineesim " << TRAINEESIM_VERSION << " (" << TRAINEESIM_GIT_SHA << ")\n";
    return kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    if (args[0] == "run") return cmd_run(rest, out, err);
    if (args[0] == "validate") return cmd_validate(rest, out, err);
    if (args[0] == "describe") return cmd_describe(rest, out, err);
    if (args[0] == "compare") return cmd_compare(rest, out, err);
    if (args[0] == "sweep") return cmd_sweep(rest, out, err);
    auto guess = core::closest_match(args[0], {"run", "validate", "describe", "compare", "sweep"});
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
