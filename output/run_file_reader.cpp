#include "output/run_file_reader.hpp"

#include <cstdio>
#include <filesystem>
#include <new>
#include <stdexcept>
#include <fmt/format.h>
#include <sys/stat.h>

#include "output/atomic_file.hpp"
#include "output/h5.hpp"
#include "output/run_file_verify.hpp"
#include "sim/model/schema.hpp"

namespace tsim::output {

namespace detail {

namespace {
// Why HDF5 could not open a file, from what it said: "truncated (145745 of
// 291490 bytes)" for HDF5's "truncated file: eof = 145745, ..., stored_eof = 291490".
std::string open_failure(const std::string& hdf5_says) {
  unsigned long long eof = 0, base = 0, stored = 0;
  if (std::sscanf(hdf5_says.c_str(), "truncated file: eof = %llu, sblock->base_addr = %llu, stored_eof = %llu", &eof,
                  &base, &stored) == 3)
    return fmt::format("truncated ({} of {} bytes)", eof, stored);
  return hdf5_says.empty() ? "HDF5 cannot open it" : fmt::format("HDF5 cannot open it: {}", hdf5_says);
}
}  // namespace

std::string printable(std::string_view text, std::size_t max) {
  std::string out;
  for (const char c : text.substr(0, max)) {
    const auto byte = static_cast<unsigned char>(c);
    out += byte >= 0x20 && byte < 0x7f ? std::string(1, c) : fmt::format("\\x{:02x}", byte);
  }
  return text.size() > max ? out + "..." : out;
}

OpenRunFile::OpenRunFile(const std::string& path) {
  const auto lock = h5::lock();
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    struct stat st {};
    const bool empty = ::stat(path.c_str(), &st) == 0 && st.st_size == 0;
    throw OutputError(empty ? "empty file (0 bytes)" : "not an HDF5 file");
  }
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) throw OutputError(open_failure(h5::last_error()));
  file_ = h5::Handle(f, H5Fclose, "open a file");
}

OpenRunFile::~OpenRunFile() {
  const auto lock = h5::lock();
  file_.reset();
}

std::optional<HeaderVerdict> check_header(hid_t f, const ExpectedRun& expected) {
  std::int64_t complete = 0, version = 0, seed = -1, replication = -1;
  std::string schema, sha, level;
  auto damaged = [](std::string why) { return HeaderVerdict{RunFileStatus::damaged, std::move(why)}; };
  auto other = [](std::string why) { return HeaderVerdict{RunFileStatus::other, std::move(why)}; };
  if (!h5::read_attribute(f, "schema", schema) || schema != "traineesim.run")
    return damaged(schema.empty() ? "not a traineesim run file (no schema attribute)"
                                  : fmt::format("not a traineesim run file (schema '{}')", printable(schema)));
  if (!h5::read_attribute(f, "complete", complete) || complete != 1) return damaged("not marked complete");
  if (!h5::read_attribute(f, "schema_version", version)) return damaged("no schema_version attribute");
  if (version != model::kRunSchemaVersion)
    return other(fmt::format("schema version {}, this build writes {}", version, model::kRunSchemaVersion));
  if (!h5::read_attribute(f, "scenario_sha256", sha)) return damaged("no scenario_sha256 attribute");
  if (sha != expected.scenario_sha256)
    return other(fmt::format("written for another scenario (sha256 {}, expected {:.12})", printable(sha, 12),
                             expected.scenario_sha256));
  if (!h5::read_attribute(f, "master_seed", seed) || !h5::read_attribute(f, "replication", replication))
    return damaged("no master_seed or replication attribute");
  if (seed != expected.master_seed) return other(fmt::format("seed {}, expected {}", seed, expected.master_seed));
  if (replication != expected.replication)
    return other(fmt::format("replication {}, expected {}", replication, expected.replication));
  if (!h5::read_attribute(f, "record_level", level)) return damaged("no record_level attribute");
  if (level != "full" && level != "census" && level != "summary")
    return damaged(fmt::format("record_level '{}' is not a record level", printable(level)));
  if (level != model::to_string(expected.record_level))
    return other(fmt::format("record level {}, expected {}", level, model::to_string(expected.record_level)));
  return std::nullopt;
}

CensusSummary summarise_census(const std::vector<std::int32_t>& period, const std::vector<double>& end,
                               const std::vector<std::int32_t>& state, const std::vector<std::int32_t>& headcount,
                               const std::vector<double>& fte, std::size_t states, const std::vector<double>* ends) {
  if (end.size() != period.size() || state.size() != period.size() || headcount.size() != period.size() ||
      fte.size() != period.size())
    throw OutputError("census columns of different lengths");
  const std::size_t periods = ends ? ends->size() : 10'000'000;
  CensusSummary out;
  out.states = states;
  for (std::size_t i = 0; i < period.size(); ++i) {
    if (period[i] < 0 || static_cast<std::size_t>(period[i]) >= periods || state[i] < 0 ||
        static_cast<std::size_t>(state[i]) >= states)
      throw OutputError(fmt::format("census row {} has period {} and state {} out of range", i, period[i], state[i]));
    const auto p = static_cast<std::size_t>(period[i]);
    if (ends && !(end[i] == (*ends)[p]))
      throw OutputError(fmt::format("census row {}: period {} ends on day {}, not {}", i, p, (*ends)[p], end[i]));
    while (out.headcount.size() <= p) {
      out.headcount.emplace_back(states, 0.0);
      out.fte.emplace_back(states, 0.0);
      out.period_end_day.push_back(0);
    }
    out.period_end_day[p] = end[i];
    out.headcount[p][static_cast<std::size_t>(state[i])] += headcount[i];
    out.fte[p][static_cast<std::size_t>(state[i])] += fte[i];
  }
  return out;
}

std::optional<RunIndicators> read_indicators(hid_t f) {
  if (!h5::exists(f, "/indicators")) return std::nullopt;
  const h5::Handle g(H5Gopen2(f, "/indicators", H5P_DEFAULT), H5Gclose, "open /indicators");
  if (h5::member_names(g.get()) != std::vector<std::string>{"name", "value"})
    throw OutputError("/indicators: its columns are not name and value");
  RunIndicators out{h5::read_string_column(f, "/indicators/name"), h5::read_double_column(f, "/indicators/value")};
  if (out.names.size() != out.values.size()) throw OutputError("/indicators: name and value differ in length");
  return out;
}

namespace {
// /census read back with HDF5's own decoding. Caller holds the lock.
CensusSummary census_of(hid_t f) {
  const auto states = h5::read_int32_column(f, "/dictionary/states/code").size();
  return summarise_census(h5::read_int32_column(f, "/census/period"), h5::read_double_column(f, "/census/period_end_day"),
                          h5::read_int32_column(f, "/census/state"), h5::read_int32_column(f, "/census/headcount"),
                          h5::read_double_column(f, "/census/fte"), states, nullptr);
}
}  // namespace

}  // namespace detail

const char* to_string(RunFileStatus s) {
  switch (s) {
    case RunFileStatus::missing: return "missing";
    case RunFileStatus::other: return "other";
    case RunFileStatus::damaged: return "damaged";
    case RunFileStatus::done: return "done";
  }
  return "?";
}

RunFileCheck check_run_file(const std::string& path, const ExpectedRun& expected, CheckDepth depth) {
  RunFileCheck out;
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::symlink_status(path, ec)) || ec) return out;
  try {
    const detail::OpenRunFile file(path);
    {
      const auto lock = h5::lock();
      if (auto verdict = detail::check_header(file.get(), expected)) {
        out.status = verdict->status;
        out.reason = std::move(verdict->reason);
        return out;
      }
      if (expected.indicators) {
        auto indicators = detail::read_indicators(file.get());
        if (!indicators) {
          out.status = RunFileStatus::other;
          out.reason = "no /indicators (written before sweeps kept them)";
          return out;
        }
        out.indicators = std::move(*indicators);
      }
      if (depth == CheckDepth::attributes || !expected.spec) out.census = detail::census_of(file.get());
    }
    if (depth == CheckDepth::full && expected.spec) out.census = detail::verify_data(file, expected);
    out.status = RunFileStatus::done;
  } catch (const OutputError& e) {
    out.status = RunFileStatus::damaged;
    out.reason = e.what();
  } catch (const std::length_error&) {  // a damaged dataspace claiming more elements than can be held
    out = {RunFileStatus::damaged, "a dataset claims more elements than can be read", {}, {}};
  } catch (const std::bad_alloc&) {
    out = {RunFileStatus::damaged, "a dataset claims more elements than can be read", {}, {}};
  }
  return out;
}

bool run_file_is_done(const std::string& path, const ExpectedRun& expected) {
  return check_run_file(path, expected).status == RunFileStatus::done;
}

CensusSummary read_census_summary(const std::string& path) {
  const auto lock = h5::lock();
  const auto f = h5::open_file(path);
  try {
    return detail::census_of(f.get());
  } catch (const OutputError& e) {
    throw OutputError(fmt::format("{}: {}", path, e.what()));
  }
}

}  // namespace tsim::output
