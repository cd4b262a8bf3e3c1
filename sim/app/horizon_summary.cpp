#include "sim/app/horizon_summary.hpp"

#include <cmath>
#include <fmt/format.h>
#include <string>

#include "sim/batch/statistics.hpp"
#include "sim/core/calendar.hpp"

namespace tsim::app {

namespace {

struct Section {
  const char* title;
  std::vector<model::StateRole> roles;
  bool with_fte;  // staff and trainees: the workforce, counted in FTE too
};

// The sections, workforce first; exits are cumulative over the run.
const std::vector<Section>& sections() {
  using R = model::StateRole;
  static const std::vector<Section> s = {
      {"staff in post", {R::staff}, true},
      {"in training", {R::trainee}, true},
      {"vacancies being filled (not staff)", {R::vacancy}, false},
      {"waiting (not staff: applicants, career breaks, awaiting a post)", {R::waiting}, false},
      {"left during the run (cumulative)", {R::left_nhs, R::moved_within_nhs, R::retired, R::did_not_complete}, false},
  };
  return s;
}

// "812.4" for one run; "812.4 [798.0, 830.0]" (5% and 95% points) for several.
std::string spread(const std::vector<double>& xs) {
  const double m = batch::mean(xs);
  if (xs.size() < 2) return fmt::format("{:.1f}", m);
  return fmt::format("{:.1f} [{:.1f}, {:.1f}]", m, batch::quantile7(xs, 0.05), batch::quantile7(xs, 0.95));
}

// State s's values over the runs: headcount, or FTE.
std::vector<double> per_run(const std::vector<batch::FileRun>& runs, std::size_t s, bool fte) {
  std::vector<double> xs;
  xs.reserve(runs.size());
  for (const auto& r : runs)
    xs.push_back(fte ? r.summary.final_fte[s] : static_cast<double>(r.summary.final_headcount[s]));
  return xs;
}

bool in(const std::vector<model::StateRole>& roles, model::StateRole r) {
  for (auto x : roles)
    if (x == r) return true;
  return false;
}

void print_section(const Section& sec, const std::vector<batch::FileRun>& runs, const model::ScenarioSpec& spec,
                   std::ostream& out) {
  bool any = false;
  for (const auto& st : spec.states) any = any || in(sec.roles, st.role);
  if (!any) return;
  out << fmt::format("  {}:\n", sec.title);
  for (std::size_t s = 0; s < spec.states.size(); ++s) {
    const auto& st = spec.states[s];
    if (!in(sec.roles, st.role)) continue;
    std::string line = fmt::format("    {:<30} {:>28}", st.name, spread(per_run(runs, s, false)));
    if (sec.with_fte) line += fmt::format("   FTE {}", spread(per_run(runs, s, true)));
    if (sec.roles.size() > 1) line += fmt::format("   ({})", model::to_string(st.role));
    out << line << '\n';
  }
}

}  // namespace

void print_horizon_summary(const std::vector<batch::FileRun>& runs, const model::ScenarioSpec& spec, std::ostream& out) {
  if (runs.empty()) return;
  const double days = spec.horizon_days;
  const auto horizon = core::civil_from_days(core::days_from_civil(spec.start_date) + static_cast<std::int64_t>(std::floor(days)));
  out << fmt::format("\nat the horizon, {} ({} days after {}){}:\n", core::format_date(horizon), days,
                     core::format_date(spec.start_date),
                     runs.size() > 1 ? fmt::format(": mean over {} replications [5%, 95%]", runs.size()) : "");
  for (const auto& sec : sections()) print_section(sec, runs, spec, out);
}

}  // namespace tsim::app
