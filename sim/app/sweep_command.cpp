#include "sim/app/sweep_command.hpp"

#include <charconv>
#include <chrono>
#include <functional>
#include <limits>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <ostream>
#include <unistd.h>

#include "output/atomic_file.hpp"
#include "sim/app/cli_support.hpp"
#include "sim/app/commands.hpp"
#include "sim/app/stop_signal.hpp"
#include "sim/batch/results_folder.hpp"
#include "sim/batch/sweep_index.hpp"
#include "sim/batch/sweep_plan.hpp"
#include "sim/batch/sweep_runner.hpp"
#include "sim/batch/sweep_scenarios.hpp"
#include "sim/batch/thread_count.hpp"
#include "sim/scenario/sweep.hpp"

#ifdef TRAINEESIM_WITH_MPI
#include <mpi.h>
#endif

namespace tsim::app {

namespace {

// Bad sweep options: printed as "traineesim sweep: error: ..." (exit 2).
struct SweepUsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SweepOptions {
  std::string sweep_file;
  std::optional<std::string> out;
  batch::Shard shard;
  bool shard_given = false;
  std::size_t threads = 1;
  bool index_only = false, quiet = false;
  bool lean_memory = false;  // RunRequest::lean_memory
  int mpi_rank = 0, mpi_size = 1;
};

// Under mpirun, rank k of N takes the items of shard k/N: a static split of
// the fixed global order, so results are the same for any number of ranks.
void apply_mpi(SweepOptions& o) {
#ifdef TRAINEESIM_WITH_MPI
  MPI_Comm_rank(MPI_COMM_WORLD, &o.mpi_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &o.mpi_size);
  if (o.mpi_size > 1) {
    if (o.shard_given) throw SweepUsageError("--shard cannot be combined with several MPI ranks");
    o.shard = batch::Shard{static_cast<std::size_t>(o.mpi_rank), static_cast<std::size_t>(o.mpi_size)};
  }
#else
  (void)o;
#endif
}

// --shard i/N: two unsigned whole numbers that fit, then the range check of
// batch::parse_shard. Throws std::invalid_argument with its message.
batch::Shard shard_option(const std::string& text) {
  const auto slash = text.find('/');
  auto whole = [&](std::size_t from, std::size_t to) {
    unsigned long long v = 0;
    const auto [ptr, ec] = std::from_chars(text.data() + from, text.data() + to, v);
    return from < to && ec == std::errc() && ptr == text.data() + to &&
           v <= static_cast<unsigned long long>(std::numeric_limits<long long>::max());
  };
  if (slash == std::string::npos || !whole(0, slash) || !whole(slash + 1, text.size()))
    throw std::invalid_argument(fmt::format("--shard must be i/N with 0 <= i < N, got '{}'", text));
  return batch::parse_shard(text);
}

// Reads the options; nullopt when --help was printed. Throws SweepUsageError.
std::optional<SweepOptions> sweep_options(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description opts("traineesim sweep SWEEP.toml [options]");
  opts.add_options()("help,h", "show this help")
      ("out,o", po::value<std::string>(), "output folder (default: results/<sweep name>)")
      ("threads,j", po::value<std::string>()->default_value("0"), "runs at once (0: all cores); results do not depend on it")
      ("shard", po::value<std::string>(), "run only shard i of N (i/N, for Slurm job arrays); no index is written")
      ("index-only", "write <out>/sweep.h5 from the run files already there (each verified), run nothing; exit 1 if any is damaged")
      ("lean-memory", "give the memory of people who have left to newcomers in each run and keep their /persons "
                      "rows compressed: less peak memory per thread, about 15-30% more time; the files are the same")
      ("quiet,q", "no progress output");
  po::variables_map vm;
  try {
    vm = parse_with(args, opts, "sweep");
  } catch (const UsageError& e) {
    throw SweepUsageError(e.what());
  }
  if (vm.count("help")) {
    out << opts << "\nWrites <out>/<variant>/s<sample>/run_<replication>.h5 and <out>/sweep.h5 (docs/OUTPUT.md).\n"
                   "Rerunning the same command resumes: finished run files that verify (every table read\n"
                   "back) are kept, damaged ones are named and rewritten.\n";
    return std::nullopt;
  }
  if (!vm.count("sweep")) throw SweepUsageError("sweep needs a sweep file");
  SweepOptions o;
  o.sweep_file = vm["sweep"].as<std::string>();
  long long threads = 0;
  try {
    o.out = out_option(vm);
    threads = whole_number_option(vm, "threads", 0, 4096);
    o.shard_given = vm.count("shard") > 0;
    if (o.shard_given) o.shard = shard_option(vm["shard"].as<std::string>());
  } catch (const std::invalid_argument& e) {
    throw SweepUsageError(e.what());
  } catch (const UsageError& e) {
    throw SweepUsageError(e.what());
  }
  o.threads = threads == 0 ? batch::default_thread_count() : static_cast<std::size_t>(threads);
  o.index_only = vm.count("index-only") > 0;
  apply_mpi(o);
  o.quiet = vm.count("quiet") > 0;
  o.lean_memory = vm.count("lean-memory") > 0;
  return o;
}

// Progress lines: redrawn at most every 200 ms on a terminal, plain lines
// at most every minute in logs, and always the last one.
class SweepProgressPrinter {
 public:
  SweepProgressPrinter(std::ostream& err, bool terminal) : err_(err), terminal_(terminal), last_(Clock::now()) {}
  void operator()(const batch::SweepProgress& p) {
    const auto now = Clock::now();
    const bool last = p.finished == p.total;
    if (terminal_ && (now - last_ > std::chrono::milliseconds(200) || last)) {
      err_ << fmt::format("\r{}/{} runs ({} skipped, {} failed), {:.0f} s elapsed, ETA {:.0f} s   ", p.finished,
                          p.total, p.skipped, p.failed, p.elapsed_seconds, p.eta_seconds)
           << std::flush;
      last_ = now;
    } else if (!terminal_ && (now - last_ > std::chrono::seconds(60) || last)) {
      err_ << fmt::format("progress: {}/{} runs ({} skipped, {} failed), {:.0f} s elapsed, ETA {:.0f} s\n", p.finished,
                          p.total, p.skipped, p.failed, p.elapsed_seconds, p.eta_seconds);
      last_ = now;
    }
  }
  // A line about one run, on a line of its own even while progress is drawn.
  void notice(const std::string& line) {
    err_ << (terminal_ ? "\r\033[K" : "") << line << "\n" << std::flush;
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream& err_;
  bool terminal_;
  Clock::time_point last_;
};

// Runs this process's share of the items, printing progress and failures.
batch::SweepRunResult run_items(const scenario::SweepSpec& sweep, const batch::SweepPlan& plan,
                                const batch::SweepScenarios& scenarios, const SweepOptions& o,
                                const std::string& out_dir, std::ostream& out, std::ostream& err) {
  const auto todo = plan.shard(o.shard);
  out << fmt::format("traineesim sweep '{}': {} variant(s) x {} sample(s) x {} replication(s) = {} runs{}, {} thread(s)\n",
                     sweep.name, plan.variants().size(), plan.samples(), plan.replications(), plan.items().size(),
                     o.shard.count > 1 ? fmt::format(", shard {}/{} ({} runs)", o.shard.index, o.shard.count, todo.size())
                                       : "",
                     o.threads);
  // Each run sized on its own variant and sample (slots that failed to load write nothing).
  std::map<std::size_t, std::uint64_t> runs_per_slot;
  for (std::size_t item : todo) ++runs_per_slot[item / plan.replications()];
  PlannedRuns planned;
  for (const auto& [slot, n] : runs_per_slot)
    if (const auto* loaded = scenarios.get(slot)) planned.emplace_back(&loaded->spec, n);
  print_estimate(planned, sweep.record, o.lean_memory, o.threads, physical_memory_bytes(), out, err);
  const bool terminal = ::isatty(2) == 1;
  SweepProgressPrinter printer(err, terminal);
  batch::SweepCallbacks callbacks;
  if (!o.quiet) callbacks.progress = std::ref(printer);
  callbacks.notice = [&](const std::string& line) { printer.notice(line); };  // shown even with --quiet
  batch::SweepRunResult result =
      batch::run_sweep_items(plan, scenarios, sweep.seed, sweep.record, todo, out_dir, o.threads, &stop_flag(), callbacks,
                             o.lean_memory);
  if (!o.quiet && terminal) err << "\n";
  report_thread_error(result.thread_error, err);
  for (std::size_t i = 0; i < plan.items().size(); ++i)
    if (!result.errors[i].empty()) err << fmt::format("run {} ({}) failed: {}\n", i, plan.items()[i].file, result.errors[i]);
  return result;
}

// Loads the sweep, runs this process's items, writes the index where this
// process is the one to. Returns the exit status.
int sweep(const SweepOptions& o, std::ostream& out, std::ostream& err) {
  const auto sweep = scenario::load_sweep_file(o.sweep_file);
  const auto base = scenario::load_scenario_file(sweep.scenario_path);
  scenario::check_sweep_people(sweep, base);
  print_warnings(base, err);
  const std::string out_dir = o.out ? *o.out : "results/" + sweep.name;
  const batch::SweepPlan plan = batch::make_sweep_plan(sweep);
  // The base scenario must load (above); every variant and sample too (below).
  const batch::SweepScenarios scenarios(sweep, plan);
  // A variant or sample that cannot load is bad input: refused before any
  // file is written. --index-only indexes what other processes wrote and
  // records such slots' runs as failed.
  if (!o.index_only) batch::check_all_load(sweep, plan, scenarios);
  for (std::size_t v = 0; v < plan.variants().size(); ++v)
    for (std::size_t k = 0; k < plan.samples(); ++k)
      if (scenarios.same_as_baseline(plan.slot(v, k)))
        err << fmt::format("traineesim sweep: warning: variant '{}' sample {} resolves to the same scenario as the "
                           "baseline (a key overrides what the policy sets); its paired differences are 0 "
                           "(flagged in sweep.h5, runs/same_as_baseline)\n",
                           plan.variants()[v].name, k);
  // The whole folder is this command's, unless it is one of several shards
  // or MPI ranks running at once: those share it and lock their own part.
  const bool shared = o.shard.count > 1 && !o.index_only;
  // A folder of `run` or `compare` is never a sweep's: the index would pool or drop their files.
  if (const auto reason = batch::run_folder_reason(out_dir); !reason.empty())
    throw SweepUsageError(reason + ": a sweep writes a folder of its own; choose another --out");
  std::unique_ptr<output::FolderLock> folder, part;
  try {
    folder = claim_output_dir(out_dir, shared ? output::FolderLock::Mode::shared : output::FolderLock::Mode::exclusive);
    if (shared)
      part = claim_output_dir(out_dir, output::FolderLock::Mode::exclusive,
                              fmt::format(".traineesim.shard-{}-of-{}.lock", o.shard.index, o.shard.count));
  } catch (const UsageError& e) {
    throw SweepUsageError(e.what());
  }
  // Signals stop the runs and are held off while the index is written, so
  // an interrupted sweep always ends with its index and exit 128 + signal.
  const StopOnSignals signals;
  batch::SweepRunResult result;
  if (!o.index_only) result = run_items(sweep, plan, scenarios, o, out_dir, out, err);
#ifdef TRAINEESIM_WITH_MPI
  if (o.mpi_size > 1) MPI_Barrier(MPI_COMM_WORLD);  // every rank's files are on disk
#endif
  // Shards write no index (the last `--index-only` does); under MPI rank 0 writes it.
  std::size_t index_failed = 0;
  if ((o.shard.count == 1 || o.index_only || o.mpi_size > 1) && o.mpi_rank == 0) {
    const auto index = batch::write_sweep_index_file(sweep, plan, scenarios, result, out_dir, o.threads);
    // What the runs above did not already report: damaged files, files of
    // another run, slots that did not load (--index-only, other shards' items).
    for (const auto& p : index.problems)
      if (p.item >= result.errors.size() || result.errors[p.item].empty())
        err << fmt::format("run {} ({}) {}: {}\n", p.item, plan.items()[p.item].file, p.status, p.reason);
    out << fmt::format("index: {} of {} runs done -> {}\n", index.done, index.runs, index.path);
    index_failed = index.failed;
  }
  if (!o.index_only)
    out << fmt::format("{}{} run(s) written ({}), {} already done, {} failed\n",
                       o.mpi_size > 1 ? fmt::format("rank {}/{}: ", o.mpi_rank, o.mpi_size) : "", result.ran,
                       human_bytes(result.bytes), result.skipped, result.failed);
  if (stop_flag().load()) {
    const int sig = stop_signal();
    err << fmt::format("traineesim sweep: stopped by {}; finished runs are kept and indexed; rerun the same command "
                       "to resume\n",
                       signal_name(sig));
    return 128 + sig;
  }
  // --index-only fails when the index records failed runs (damaged files, slots that did not load).
  return result.failed > 0 || (o.index_only && index_failed > 0) ? kExitFailure : kExitOk;
}

}  // namespace

int cmd_sweep(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  try {
    const auto options = sweep_options(args, out);
    if (!options) return kExitOk;
    return sweep(*options, out, err);
  } catch (const SweepUsageError& e) {
    err << "traineesim sweep: error: " << e.what() << "\n";
    return kExitBadInput;
  }
}

}  // namespace tsim::app
