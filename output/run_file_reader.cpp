#include "output/run_file_reader.hpp"

#include <fmt/format.h>

#include "output/atomic_file.hpp"
#include "output/h5.hpp"
#include "sim/model/schema.hpp"

namespace tsim::output {

bool run_file_is_done(const std::string& path, const ExpectedRun& expected) {
  try {
    const auto lock = h5::lock();
    if (H5Fis_hdf5(path.c_str()) <= 0) return false;
    const auto f = h5::open_file(path);
    std::int64_t complete = 0, version = 0, seed = -1, replication = -1;
    std::string schema, sha;
    return h5::read_attribute(f.get(), "complete", complete) && complete == 1 &&
           h5::read_attribute(f.get(), "schema", schema) && schema == "traineesim.run" &&
           h5::read_attribute(f.get(), "schema_version", version) && version == model::kRunSchemaVersion &&
           h5::read_attribute(f.get(), "scenario_sha256", sha) && sha == expected.scenario_sha256 &&
           h5::read_attribute(f.get(), "master_seed", seed) && seed == expected.master_seed &&
           h5::read_attribute(f.get(), "replication", replication) && replication == expected.replication;
  } catch (const OutputError&) {
    return false;  // unreadable: not done
  }
}

CensusSummary read_census_summary(const std::string& path) {
  const auto lock = h5::lock();
  const auto f = h5::open_file(path);
  CensusSummary out;
  try {
    out.states = h5::read_int32_column(f.get(), "/dictionary/states/code").size();
    const auto end = h5::read_double_column(f.get(), "/census/period_end_day");
    const auto period = h5::read_int32_column(f.get(), "/census/period");
    const auto state = h5::read_int32_column(f.get(), "/census/state");
    const auto count = h5::read_int32_column(f.get(), "/census/headcount");
    if (end.size() != period.size() || state.size() != period.size() || count.size() != period.size())
      throw OutputError("census columns of different lengths");
    for (std::size_t i = 0; i < period.size(); ++i) {
      if (period[i] < 0 || period[i] > 10'000'000 || state[i] < 0 || static_cast<std::size_t>(state[i]) >= out.states)
        throw OutputError(fmt::format("census row {} has period {} and state {} out of range", i, period[i], state[i]));
      const auto p = static_cast<std::size_t>(period[i]);
      while (out.headcount.size() <= p) {
        out.headcount.emplace_back(out.states, 0.0);
        out.period_end_day.push_back(0);
      }
      out.period_end_day[p] = end[i];
      out.headcount[p][static_cast<std::size_t>(state[i])] += count[i];
    }
  } catch (const OutputError& e) {
    throw OutputError(fmt::format("{}: {}", path, e.what()));
  }
  return out;
}

}  // namespace tsim::output
