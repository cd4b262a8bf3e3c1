// Google Benchmark suite. Whole-process figures come from bench/run_pipeline.sh;
// these isolate the parts. Run: build/bench/traineesim_bench --benchmark_repetitions=5
#include <benchmark/benchmark.h>

#include <filesystem>
#include <unistd.h>

#include "output/hdf5_run_writer.hpp"
#include "output/run_file_reader.hpp"
#include "sim/batch/run_one.hpp"
#include "sim/core/distributions.hpp"
#include "sim/core/event_queue.hpp"
#include "sim/core/random.hpp"
#include "sim/model/memory_sink.hpp"
#include "sim/model/run.hpp"
#include "sim/scenario/scenario.hpp"

using namespace tsim;

namespace {

// Hold-model: a queue of n pending events; each step pops one and pushes one
// a random time later (the classic priority-queue benchmark).
void BM_EventQueueHold(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  core::RandomStreams rs(1, 0);
  core::EventQueue q;
  std::uint32_t draw = 0;
  for (std::size_t i = 0; i < n; ++i) q.push(rs.uniform(0, 0, draw++) * 1000, 20, 0, 0, 0);
  for (auto _ : state) {
    const auto e = q.pop();
    q.push(e.time + rs.uniform(0, 0, draw++) * 1000, 20, e.target, 0, 0);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_EventQueueHold)->Arg(1000)->Arg(100000)->Arg(10000000);

void BM_PhiloxUniform(benchmark::State& state) {
  core::RandomStreams rs(1, 0);
  std::uint64_t subject = 0;
  double sum = 0;
  for (auto _ : state) sum += rs.uniform(subject++, 6u << 24, 0);
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_PhiloxUniform);

void BM_Quantile(benchmark::State& state, core::Distribution d) {
  double u = 0.1, sum = 0;
  for (auto _ : state) {
    sum += core::quantile(d, u);
    u = u + 0.61803398875;
    u -= static_cast<double>(static_cast<int>(u));
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK_CAPTURE(BM_Quantile, exponential, core::Distribution{core::Exponential{0.1}});
BENCHMARK_CAPTURE(BM_Quantile, weibull, core::Distribution{core::Weibull{1.5, 730}});
BENCHMARK_CAPTURE(BM_Quantile, gamma, core::Distribution{core::Gamma{2.5, 10}});
BENCHMARK_CAPTURE(BM_Quantile, lognormal, core::Distribution{core::LogNormal{3, 0.5}});
BENCHMARK_CAPTURE(BM_Quantile, alias4, core::Distribution{core::Discrete{{0, 1, 2, 3}, core::AliasTable({.6, .2, .1, .1})}});

scenario::LoadedScenario pipeline(int cohort) {
  return scenario::load_scenario_file(std::string(TSIM_SOURCE_DIR) + "/scenarios/bench/pipeline.toml",
                                      {{"parameters.cohort=" + std::to_string(cohort)}});
}

// A sink that throws records away: the engine and model alone.
class NullSink final : public model::RunSink {
 public:
  void begin(const model::RunHeader&) override {}
  void append(const model::TableBatch& rows) override { n += rows.size(); }
  void finish() override {}
  std::size_t n = 0;
};

void BM_PipelineRunNoOutput(benchmark::State& state) {
  const auto l = pipeline(static_cast<int>(state.range(0)));
  std::uint64_t records = 0;
  for (auto _ : state) {
    NullSink sink;
    records += batch::run_one(l, {}, sink).records;  // record level full by default
  }
  state.counters["records/s"] = benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PipelineRunNoOutput)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_PipelineRunHdf5(benchmark::State& state) {
  const auto l = pipeline(static_cast<int>(state.range(0)));
  const auto level = state.range(1) ? model::RecordLevel::full : model::RecordLevel::summary;
  const auto path = std::filesystem::temp_directory_path() / ("tsim_bench_" + std::to_string(::getpid()) + ".h5");
  std::uint64_t records = 0, bytes = 0;
  for (auto _ : state) {
    output::Hdf5RunWriter w(path.string());
    batch::RunRequest request;
    request.record_level = level;
    records += batch::run_one(l, request, w).records;
    bytes = w.bytes_written();
  }
  std::filesystem::remove(path);
  state.counters["records/s"] = benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_PipelineRunHdf5)->Args({10000, 0})->Args({10000, 1})->Args({100000, 0})->Args({100000, 1})->Unit(benchmark::kMillisecond);

// What a resumed sweep pays to keep a run file instead of rewriting it:
// output::check_run_file reading every dataset back (CheckDepth::full), or
// only the root attributes and /census (attributes). Compare with
// BM_PipelineRunHdf5 at the same cohort and record level.
void BM_VerifyRunFile(benchmark::State& state) {
  const auto l = pipeline(static_cast<int>(state.range(0)));
  const auto level = state.range(1) ? model::RecordLevel::full : model::RecordLevel::census;
  const auto depth = state.range(2) ? output::CheckDepth::full : output::CheckDepth::attributes;
  const auto path = std::filesystem::temp_directory_path() / ("tsim_bench_verify_" + std::to_string(::getpid()) + ".h5");
  std::uint64_t bytes = 0;
  {
    output::Hdf5RunWriter w(path.string());
    batch::RunRequest request;
    request.record_level = level;
    (void)batch::run_one(l, request, w);
    bytes = w.bytes_written();
  }
  const output::ExpectedRun expected{l.sha256, 1, 0, level, &l.spec};
  for (auto _ : state)
    if (output::check_run_file(path.string(), expected, depth).status != output::RunFileStatus::done)
      state.SkipWithError("the file does not verify");
  std::filesystem::remove(path);
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_VerifyRunFile)
    ->ArgNames({"cohort", "full", "read_all"})
    ->Args({100000, 1, 1})
    ->Args({100000, 1, 0})
    ->Args({100000, 0, 1})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
