#include "sim/app/export_command.hpp"

#include <algorithm>
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>

#include "output/atomic_file.hpp"
#include "output/census_reader.hpp"
#include "output/comparison_writer.hpp"
#include "sim/app/cli_support.hpp"
#include "sim/app/commands.hpp"
#include "sim/batch/results_folder.hpp"
#include "sim/core/calendar.hpp"

namespace tsim::app {

namespace fs = std::filesystem;
namespace po = boost::program_options;

namespace {

// One run file to export and where it sits; for a sweep's run, what its index says it is.
struct ExportRun {
  std::string path, variant;
  std::int32_t sample = 0;
  std::optional<output::SweepRun> listed;
};

bool is_variant_folder(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir, ec) &&
         (fs::exists(dir / batch::kManifestName, ec) || !batch::run_file_names(dir.string()).empty());
}

// The run files of one variant folder, once its manifest and files are found to be one finished run.
std::vector<ExportRun> runs_of_variant(const fs::path& dir, const std::string& variant) {
  std::optional<batch::FolderManifest> manifest;
  try {
    manifest = batch::read_manifest(dir.string());
  } catch (const batch::ManifestError& e) {
    throw UsageError(fmt::format("{}: {}", (dir / batch::kManifestName).string(), e.what()));
  }
  if (!manifest)
    throw UsageError(fmt::format("{} has no {}: export reads the folders of finished runs only", dir.string(),
                                 batch::kManifestName));
  const auto verdict = batch::inspect_variant_folder(dir.string(), *manifest);
  if (!verdict.conflicts.empty() || !verdict.damaged.empty())
    throw UsageError(fmt::format("{} does not hold one run: {}", dir.string(),
                                 verdict.conflicts.empty() ? verdict.damaged.front() : verdict.conflicts.front()));
  std::vector<ExportRun> out;
  for (std::uint32_t r = 0; r < manifest->replications; ++r) {
    const fs::path file = dir / fmt::format("run_{}.h5", r);
    if (!fs::exists(file))
      throw UsageError(fmt::format("{}: {} says {} replication(s), run_{}.h5 is missing", dir.string(),
                                   batch::kManifestName, manifest->replications, r));
    out.push_back({file.string(), variant, 0, std::nullopt});
  }
  return out;
}

// Every run under `results`: a sweep's done runs, or the runs of its variant folders (baseline first).
std::vector<ExportRun> runs_under(const fs::path& results) {
  std::error_code ec;
  if (!fs::is_directory(results, ec)) throw UsageError(fmt::format("{}: no such folder", results.string()));
  std::vector<ExportRun> out;
  if (fs::exists(results / "sweep.h5", ec)) {
    for (const auto& r : output::read_sweep_runs((results / "sweep.h5").string()))
      if (r.status == "done") out.push_back({(results / r.file).string(), r.variant, r.sample, r});
    return out;
  }
  if (is_variant_folder(results)) {
    auto name = fs::absolute(results).lexically_normal();
    if (name.filename().empty()) name = name.parent_path();  // "out/baseline/"
    return runs_of_variant(results, name.filename().string());
  }
  std::vector<std::string> variants;
  for (fs::directory_iterator it(results, ec), end; !ec && it != end; it.increment(ec))
    if (is_variant_folder(it->path())) variants.push_back(it->path().filename().string());
  std::sort(variants.begin(), variants.end(), [](const auto& a, const auto& b) {
    return std::make_pair(a != "baseline", a) < std::make_pair(b != "baseline", b);
  });
  for (const auto& v : variants) {
    auto runs = runs_of_variant(results / v, v);
    out.insert(out.end(), runs.begin(), runs.end());
  }
  return out;
}

// A CSV field: quoted (quotes doubled) when it holds a comma, quote or line break.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The calendar date of `day` (days since `start`): start + floor(day).
std::string date_of(const core::Date& start, double day) {
  return core::format_date(
      core::civil_from_days(core::days_from_civil(start) + static_cast<std::int64_t>(std::floor(day))));
}

// Appends one run's census rows; returns how many.
std::size_t write_rows(std::ostream& csv, const ExportRun& run, const output::LabelledCensus& c) {
  const auto start = core::parse_date(c.start_date);
  if (!start) throw output::OutputError(fmt::format("{}: start_date '{}' is not a date", run.path, c.start_date));
  const std::string variant = csv_field(run.variant);
  for (std::size_t i = 0; i < c.period.size(); ++i) {
    csv << variant << ',' << run.sample << ',' << c.replication << ',' << c.period[i] << ','
        << date_of(*start, c.period_end_day[i]) << ',' << csv_field(c.state[i]) << ',' << csv_field(c.profession[i])
        << ',' << c.band[i] << ',' << csv_field(c.role[i]);
    for (const auto& a : c.attributes) csv << ',' << csv_field(a[i]);
    csv << ',' << c.headcount[i] << ',' << fmt::format("{}", c.fte[i]) << '\n';
  }
  return c.period.size();
}

// Writes <dir>/results.csv (written as a partial file, published when complete); returns its rows.
std::size_t write_results_csv(const std::vector<ExportRun>& runs, const fs::path& path) {
  const std::string partial = output::partial_path(path.string());
  std::size_t rows = 0;
  try {
    std::ofstream csv(partial, std::ios::binary | std::ios::trunc);
    if (!csv) throw output::OutputError(fmt::format("cannot create {}", partial));
    std::vector<std::string> attributes;
    for (std::size_t k = 0; k < runs.size(); ++k) {
      const auto census = output::read_labelled_census(runs[k].path);
      if (const auto& l = runs[k].listed; l && (census.scenario_sha256 != l->scenario_sha256 ||
                                                 census.master_seed != l->seed || census.replication != l->replication))
        throw UsageError(fmt::format("{} is not the run sweep.h5 lists (scenario_sha256, seed or replication differ)",
                                     runs[k].path));
      if (k == 0) {
        attributes = census.attribute_names;
        csv << "variant,sample,replication,period,date,state,profession,band,role";
        for (const auto& a : attributes) csv << ',' << csv_field(a);
        csv << ",headcount,fte\n";
      } else if (census.attribute_names != attributes) {
        throw output::OutputError(fmt::format("{}: census attributes differ from {}'s", runs[k].path, runs[0].path));
      }
      rows += write_rows(csv, runs[k], census);
    }
    csv.close();
    if (!csv) throw output::OutputError(fmt::format("cannot write {}", partial));
    output::publish(partial, path.string());
  } catch (...) {
    std::remove(partial.c_str());
    throw;
  }
  return rows;
}

}  // namespace

int cmd_export(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
  po::options_description opts("traineesim export RESULTS --csv DIR [options]");
  opts.add_options()("help,h", "show this help")
      ("csv", po::value<std::string>(), "write DIR/results.csv (and DIR/indicators.csv for a comparison)");
  auto vm = parse_with(args, opts, "results");
  if (vm.count("help")) {
    out << opts << "\nRESULTS: a variant folder, a run or compare output folder, or a sweep folder.\n"
                   "results.csv: one row per (variant, sample, replication, period, state, census attribute\n"
                   "levels), zero cells included: variant, sample, replication, period, date, state, profession,\n"
                   "band, role, the census attributes, headcount, fte. indicators.csv: compare's indicators\n"
                   "(comparison.csv). docs/OUTPUT.md, \"Tidy results\".\n";
    return kExitOk;
  }
  if (!vm.count("results")) throw UsageError("export needs a results folder: traineesim export RESULTS --csv DIR");
  if (!vm.count("csv") || vm["csv"].as<std::string>().empty()) throw UsageError("export needs --csv DIR");
  const fs::path results(vm["results"].as<std::string>()), dir(vm["csv"].as<std::string>());
  const auto runs = runs_under(results);
  if (runs.empty()) throw UsageError(fmt::format("{} holds no finished run", results.string()));
  make_output_dir(dir.string());  // unwritable or not a folder: bad input, exit 2
  const std::size_t rows = write_results_csv(runs, dir / "results.csv");
  out << fmt::format("traineesim export: {} run(s), {} census rows -> {}\n", runs.size(), rows,
                     (dir / "results.csv").string());
  const fs::path comparison = results / "comparison.csv";
  if (fs::exists(comparison)) {
    std::ifstream in(comparison, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    output::write_text_file((dir / "indicators.csv").string(), text.str());
    out << fmt::format("indicators: {} -> {}\n", comparison.string(), (dir / "indicators.csv").string());
  }
  return kExitOk;
}

}  // namespace tsim::app
