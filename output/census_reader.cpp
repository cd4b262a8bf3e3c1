#include "output/census_reader.hpp"

#include <fmt/format.h>
#include <hdf5.h>
#include <map>

#include "output/atomic_file.hpp"
#include "output/h5.hpp"

namespace tsim::output {

namespace {

// A dictionary's labels by code: its `name` column, or `label` for attributes. Caller holds the lock.
std::map<std::int32_t, std::string> labels_of(hid_t f, const std::string& dictionary) {
  const auto codes = h5::read_int32_column(f, dictionary + "/code");
  const auto names = h5::exists(f, dictionary + "/name") ? h5::read_string_column(f, dictionary + "/name")
                                                          : h5::read_string_column(f, dictionary + "/label");
  if (codes.size() != names.size()) throw OutputError(fmt::format("{}: code and label columns differ", dictionary));
  std::map<std::int32_t, std::string> out;
  for (std::size_t i = 0; i < codes.size(); ++i) out[codes[i]] = names[i];
  return out;
}

std::string attribute_text(hid_t f, const std::string& path, const char* name) {
  const auto ds = h5::open_dataset(f, path);
  std::string value;
  if (!h5::read_attribute(ds.get(), name, value)) throw OutputError(fmt::format("{} has no {} attribute", path, name));
  return value;
}

// The label of each code; -1 is "initial_stock" for routes (docs/OUTPUT.md).
std::vector<std::string> labelled(const std::vector<std::int32_t>& codes,
                                  const std::map<std::int32_t, std::string>& labels, const std::string& role,
                                  const std::string& where) {
  std::vector<std::string> out;
  out.reserve(codes.size());
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const auto it = labels.find(codes[i]);
    if (it != labels.end()) out.push_back(it->second);
    else if (codes[i] == -1 && role == "route") out.emplace_back("initial_stock");
    else throw OutputError(fmt::format("{} row {}: code {} is not in its dictionary", where, i, codes[i]));
  }
  return out;
}

void read_census(hid_t f, LabelledCensus& c) {
  h5::Handle group(H5Gopen2(f, "/census", H5P_DEFAULT), H5Gclose, "open /census");
  c.period = h5::read_int32_column(f, "/census/period");
  c.period_end_day = h5::read_double_column(f, "/census/period_end_day");
  c.headcount = h5::read_int32_column(f, "/census/headcount");
  c.fte = h5::read_double_column(f, "/census/fte");
  const auto states = h5::read_int32_column(f, "/census/state");
  const auto codes = h5::read_int32_column(f, "/dictionary/states/code");
  const auto names = h5::read_string_column(f, "/dictionary/states/name");
  const auto professions = h5::read_string_column(f, "/dictionary/states/profession");
  const auto roles = h5::read_string_column(f, "/dictionary/states/role");
  const auto bands = h5::read_int32_column(f, "/dictionary/states/band");
  std::map<std::int32_t, std::size_t> row_of;
  for (std::size_t i = 0; i < codes.size(); ++i) row_of[codes[i]] = i;
  const std::size_t rows = c.period.size();
  if (c.period_end_day.size() != rows || c.headcount.size() != rows || c.fte.size() != rows || states.size() != rows)
    throw OutputError("/census: columns of different lengths");
  for (const auto s : states) {
    const auto it = row_of.find(s);
    if (it == row_of.end() || it->second >= names.size() || it->second >= professions.size() ||
        it->second >= roles.size() || it->second >= bands.size())
      throw OutputError(fmt::format("/census/state: code {} is not in /dictionary/states", s));
    c.state.push_back(names[it->second]);
    c.profession.push_back(professions[it->second]);
    c.role.push_back(roles[it->second]);
    c.band.push_back(bands[it->second]);
  }
  for (const auto& column : h5::member_names(group.get())) {
    const std::string path = "/census/" + column;
    const std::string role = attribute_text(f, path, "role");
    if (role != "attribute" && role != "route") continue;
    const auto values = h5::read_int32_column(f, path);
    if (values.size() != rows) throw OutputError("/census: columns of different lengths");
    c.attribute_names.push_back(column);
    c.attributes.push_back(labelled(values, labels_of(f, attribute_text(f, path, "dictionary")), role, path));
  }
}

}  // namespace

LabelledCensus read_labelled_census(const std::string& path) {
  const auto lock = h5::lock();
  LabelledCensus c;
  try {
    const auto file = h5::open_file(path);
    std::string schema;
    std::int64_t complete = 0, replication = 0;
    if (!h5::read_attribute(file.get(), "schema", schema) || schema != "traineesim.run")
      throw OutputError("not a traineesim run file");
    if (!h5::read_attribute(file.get(), "complete", complete) || complete != 1)
      throw OutputError("incomplete file (no complete = 1)");
    if (!h5::read_attribute(file.get(), "start_date", c.start_date)) throw OutputError("no start_date attribute");
    if (!h5::read_attribute(file.get(), "replication", replication)) throw OutputError("no replication attribute");
    c.replication = static_cast<std::int32_t>(replication);
    if (!h5::read_attribute(file.get(), "scenario_sha256", c.scenario_sha256) ||
        !h5::read_attribute(file.get(), "master_seed", c.master_seed))
      throw OutputError("no scenario_sha256 or master_seed attribute");
    read_census(file.get(), c);
  } catch (const OutputError& e) {
    throw OutputError(fmt::format("{}: {}", path, e.what()));
  }
  return c;
}

std::vector<SweepRun> read_sweep_runs(const std::string& path) {
  const auto lock = h5::lock();
  std::vector<SweepRun> out;
  try {
    const auto file = h5::open_file(path);
    std::string schema;
    std::int64_t complete = 0;
    if (!h5::read_attribute(file.get(), "schema", schema) || schema != "traineesim.sweep")
      throw OutputError("not a traineesim sweep index");
    if (!h5::read_attribute(file.get(), "complete", complete) || complete != 1)
      throw OutputError("incomplete file (no complete = 1)");
    const auto variant = h5::read_string_column(file.get(), "/runs/variant");
    const auto files = h5::read_string_column(file.get(), "/runs/file");
    const auto status = h5::read_string_column(file.get(), "/runs/status");
    const auto sample = h5::read_int32_column(file.get(), "/runs/sample");
    const auto replication = h5::read_int32_column(file.get(), "/runs/replication");
    const auto seed = h5::read_int32_column(file.get(), "/runs/seed");
    const auto sha = h5::read_string_column(file.get(), "/runs/scenario_sha256");
    const std::size_t n = variant.size();
    if (files.size() != n || status.size() != n || sample.size() != n || replication.size() != n ||
        seed.size() != n || sha.size() != n)
      throw OutputError("/runs: columns of different lengths");
    for (std::size_t i = 0; i < n; ++i)
      out.push_back({variant[i], files[i], status[i], sha[i], sample[i], replication[i], seed[i]});
  } catch (const OutputError& e) {
    throw OutputError(fmt::format("{}: {}", path, e.what()));
  }
  return out;
}

}  // namespace tsim::output
