#include "output/comparison_writer.hpp"

#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <hdf5.h>
#include <mutex>
#include <ostream>

#include "output/atomic_file.hpp"

namespace tsim::output {

std::mutex& hdf5_library_mutex();  // hdf5_run_writer.cpp

void ComparisonTable::add(const std::string& ind, const std::string& pol, double b, double p, double d, double lo,
                          double hi, double hw, double hwu, int n) {
  indicator.push_back(ind);
  policy.push_back(pol);
  baseline_mean.push_back(b);
  policy_mean.push_back(p);
  difference.push_back(d);
  ci_low.push_back(lo);
  ci_high.push_back(hi);
  half_width_paired.push_back(hw);
  half_width_unpaired.push_back(hwu);
  replications.push_back(n);
}

namespace {
std::string num(double x) { return std::isnan(x) ? "-" : fmt::format("{:.4g}", x); }

std::string row(const ComparisonTable& t, std::size_t i) {
  return fmt::format("{:<58} {:<24} {:>10} {:>10} {:>10} [{:>10}, {:>10}] {:>10} {:>10}", t.indicator[i], t.policy[i],
                     num(t.baseline_mean[i]), num(t.policy_mean[i]), num(t.difference[i]), num(t.ci_low[i]),
                     num(t.ci_high[i]), num(t.half_width_paired[i]), num(t.half_width_unpaired[i]));
}
std::string header() {
  return fmt::format("{:<58} {:<24} {:>10} {:>10} {:>10} {:>24} {:>10} {:>10}", "indicator", "policy", "baseline",
                     "policy", "difference", "95% CI (paired)", "half-width", "unpaired");
}
}  // namespace

void ComparisonTable::write_text(std::ostream& out) const {
  out << header() << '\n';
  for (std::size_t i = 0; i < size(); ++i) out << row(*this, i) << '\n';
  out << "\nDifferences are policy - baseline, paired by replication (common random numbers); the CI is\n"
         "mean +/- t(0.975, R-1) * sd / sqrt(R). 'unpaired' is the half-width the same runs would give\n"
         "without pairing (as with independent seeds). See docs/INDICATORS.md.\n";
}

std::vector<std::string> ComparisonTable::headline() const {
  static const char* kFirst[] = {"training completion rate", "time to qualify", "retention", "qualified FTE in post",
                                 "total cost", "cost per additional", "mean wait for", "utilisation of"};
  std::vector<std::string> out{header()};
  for (std::size_t i = 0; i < size(); ++i)
    for (const char* f : kFirst)
      if (indicator[i].rfind(f, 0) == 0) {
        out.push_back(row(*this, i));
        break;
      }
  return out;
}

namespace {
hid_t check(hid_t id, const char* what) {
  if (id < 0) throw OutputError(fmt::format("HDF5 failed to {}", what));
  return id;
}

template <class T>
void column(hid_t group, const char* name, const std::vector<T>& v, hid_t ftype, hid_t mtype) {
  const hsize_t n = v.size(), chunk = std::max<hsize_t>(1, std::min<hsize_t>(65536, v.size())), unlimited = H5S_UNLIMITED;
  const hid_t space = check(H5Screate_simple(1, &n, &unlimited), "create a dataspace");
  const hid_t dcpl = check(H5Pcreate(H5P_DATASET_CREATE), "create properties");
  H5Pset_obj_track_times(dcpl, false);
  H5Pset_chunk(dcpl, 1, &chunk);
  if (ftype != H5T_C_S1 && std::is_arithmetic_v<T>) H5Pset_deflate(dcpl, 4);
  const hid_t ds = check(H5Dcreate2(group, name, ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), "create a dataset");
  if (n) check(H5Dwrite(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "write a dataset");
  H5Dclose(ds);
  H5Pclose(dcpl);
  H5Sclose(space);
}

void strings(hid_t group, const char* name, const std::vector<std::string>& v) {
  const hid_t st = H5Tcopy(H5T_C_S1);
  H5Tset_size(st, H5T_VARIABLE);
  H5Tset_cset(st, H5T_CSET_UTF8);
  std::vector<const char*> ptrs;
  for (const auto& s : v) ptrs.push_back(s.c_str());
  column(group, name, ptrs, st, st);
  H5Tclose(st);
}

void attribute(hid_t obj, const char* name, const std::string& value) {
  const hid_t st = H5Tcopy(H5T_C_S1);
  H5Tset_size(st, H5T_VARIABLE);
  H5Tset_cset(st, H5T_CSET_UTF8);
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t a = check(H5Acreate2(obj, name, st, space, H5P_DEFAULT, H5P_DEFAULT), "create an attribute");
  const char* p = value.c_str();
  H5Awrite(a, st, &p);
  H5Aclose(a);
  H5Sclose(space);
  H5Tclose(st);
}

void attribute(hid_t obj, const char* name, std::int32_t value) {
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t a = check(H5Acreate2(obj, name, H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT), "create an attribute");
  H5Awrite(a, H5T_NATIVE_INT32, &value);
  H5Aclose(a);
  H5Sclose(space);
}
}  // namespace

void write_comparison(const std::string& path, const ComparisonTable& t, const std::string& scenario, long long seed,
                      long long replications, bool independent_seeds) {
  const std::string partial = partial_path(path);
  {
    const std::lock_guard<std::mutex> lock(hdf5_library_mutex());
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_obj_track_times(fcpl, false);
    const hid_t f = H5Fcreate(partial.c_str(), H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    H5Pclose(fcpl);
    if (f < 0) throw OutputError(fmt::format("cannot create {}", partial));
    try {
      attribute(f, "schema", "traineesim.comparison");
      attribute(f, "schema_version", 1);
      attribute(f, "scenario_name", scenario);
      attribute(f, "master_seed", static_cast<std::int32_t>(seed));
      attribute(f, "replications", static_cast<std::int32_t>(replications));
      attribute(f, "random_numbers", independent_seeds ? "independent" : "common");
      const hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
      H5Pset_obj_track_times(gcpl, false);
      const hid_t g = check(H5Gcreate2(f, "comparison", H5P_DEFAULT, gcpl, H5P_DEFAULT), "create /comparison");
      H5Pclose(gcpl);
      strings(g, "indicator", t.indicator);
      strings(g, "policy", t.policy);
      column(g, "baseline_mean", t.baseline_mean, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
      column(g, "policy_mean", t.policy_mean, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
      column(g, "difference", t.difference, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
      column(g, "ci_low", t.ci_low, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
      column(g, "ci_high", t.ci_high, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
      column(g, "half_width_paired", t.half_width_paired, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
      column(g, "half_width_unpaired", t.half_width_unpaired, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
      column(g, "replications", t.replications, H5T_STD_I32LE, H5T_NATIVE_INT32);
      H5Gclose(g);
      attribute(f, "complete", 1);
    } catch (...) {
      H5Fclose(f);
      std::remove(partial.c_str());
      throw;
    }
    if (H5Fclose(f) < 0) throw OutputError(fmt::format("cannot close {}", partial));
  }
  publish(partial, path);
}

void write_text_file(const std::string& path, const std::string& text) {
  const std::string partial = partial_path(path);
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw OutputError(fmt::format("cannot write {}", partial));
  }
  publish(partial, path);
}

}  // namespace tsim::output
