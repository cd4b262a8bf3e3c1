#include "sim/app/new_command.hpp"

#include <boost/program_options.hpp>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <ostream>
#include <unistd.h>

#include "sim/app/cli_support.hpp"
#include "sim/app/commands.hpp"
#include "sim/scenario/names.hpp"

namespace tsim::app {

namespace {

// Every number here is an assumption ([X]) for illustration; replace each
// with a sourced one (scenarios/README.md: every shipped number cites a source).
constexpr const char* kTemplate = R"toml(# {name}: a scenario written from the `traineesim new` template.
#
# Question: write here what this scenario is for, e.g. "how many qualified
# practitioners do 100 more training places give by 2030?"
#
# Every number below is a placeholder assumption [X]: replace it with a
# sourced figure and cite the source beside it (docs/DOMAIN-PARAMETERS.md).
# All keys: scenarios/README.md. Check it: traineesim validate {name}.toml
# Look at it: traineesim describe {name}.toml   Run it: traineesim run {name}.toml

[scenario]
name = "{name}"                  # names the output folder: results/{name}/
description = "template: one training programme, supervision, a qualified workforce"
start_date = 2024-04-01          # day 0 of the simulation
horizon_years = 10               # how long to simulate
census = {{ every = "financial_year", by = ["sex"] }}   # headcount every 31 March, split by sex

[parameters]
# Named numbers that keys below use; `--set parameters.places=150` changes one
# for a run, and sweeps vary them.
places = 100                     # training places each September [X]
dropout = 0.05                   # share of trainees leaving training each year [X]
leaving = 0.10                   # share of qualified staff leaving the NHS each year [X]

[attributes.sex]
levels = ["Female", "Male"]
population = [0.5, 0.5]          # benchmark shares; also the default entrant mix [X]

[pools.supervision]
# Trainees need a supervisor's slot; qualified staff provide them (below).
capacity = 20                    # slots that exist whoever is in post [X]
renege = {{ after_days = 180, to = "left_training" }}   # trainees who wait this long give up [X]

[states.trainee]
kind = "training"
role = "trainee"
profession = "Practitioner"
band = 4                         # Agenda for Change band
needs = "supervision"            # training time counts only while supervised
cost_per_year = 30000            # per person-year here, in the scenario's currency [X]

[states.qualified]
kind = "post"
role = "staff"
profession = "Practitioner"
band = 5                         # qualified posts are band 5
qualified = true                 # first entry sets the person's qualified day
provides = {{ pool = "supervision", slots = 1, after_years_in_state = 2 }}   # supervise after 2 years [X]
cost_per_year = 38000            # [X]

[states.left_training]
kind = "exit"
role = "did_not_complete"

[states.left_nhs]
kind = "exit"
role = "left_nhs"

[routes.main]
enters = "trainee"
intake = {{ on = "09-01", places = "places" }}   # every 1 September

[[transitions]]
from = "trainee"
after_years = 1                  # one year of supervised training
to = "qualified"

[[transitions]]
from = "trainee"
hazard = {{ annual_share = "dropout" }}   # a share per year; or per_year = h (share = 1 - exp(-h))
to = "left_training"

[[transitions]]
from = "qualified"
hazard = {{ annual_share = "leaving" }}
to = "left_nhs"

[stock.qualified]
count = 400                      # qualified staff in post on the start date [X]
tenure_years = {{ uniform = [0, 10] }}   # time they have already been in post
)toml";

}  // namespace

std::string scenario_template(const std::string& name) { return fmt::format(kTemplate, fmt::arg("name", name)); }

int cmd_new(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
  po::options_description opts("traineesim new NAME [options]");
  opts.add_options()("help,h", "show this help")("dir,d", po::value<std::string>()->default_value("."),
                                                 "folder to write NAME.toml into");
  auto vm = parse_with(args, opts, "name");
  if (vm.count("help")) {
    out << opts << "\nWrites a commented template scenario NAME.toml that validates and runs as it is; edit it\n"
                   "from there (keys: scenarios/README.md). Never overwrites a file.\n";
    return kExitOk;
  }
  if (!vm.count("name")) throw UsageError("new needs a scenario name: traineesim new NAME");
  std::string name = vm["name"].as<std::string>();
  if (name.size() > 5 && name.ends_with(".toml")) name.resize(name.size() - 5);
  if (const auto problem = scenario::path_name_problem(name, "the scenario name")) throw UsageError(*problem);
  const std::string dir = vm["dir"].as<std::string>();
  const auto path = std::filesystem::path(dir) / (name + ".toml");
  // O_EXCL: refuse atomically if the file exists, even if it appeared just now.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) throw UsageError(fmt::format("{} already exists; choose another name or remove it", path.string()));
    throw UsageError(fmt::format("cannot create {}: {}", path.string(), std::strerror(errno)));
  }
  const std::string text = scenario_template(name);
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int e = errno;
      ::close(fd);
      std::filesystem::remove(path);
      throw std::runtime_error(fmt::format("cannot write {}: {}", path.string(), std::strerror(e)));
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw std::runtime_error(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
  out << fmt::format("wrote {}\nnext: traineesim validate {}, then traineesim describe and traineesim run\n",
                     path.string(), path.string());
  return kExitOk;
}

}  // namespace tsim::app
