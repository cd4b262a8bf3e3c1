// traineesim._core: the engine for Python, over sim/batch. Scenarios load
// and validate as on the command line; runs go into memory on a pool of
// threads with the GIL released; tables come back as numpy columns that
// traineesim/_frames.py labels into DataFrames. Errors: core::InputError ->
// traineesim.ScenarioError (a ValueError with .problems), core::SimulationError
// -> traineesim.SimulationError (a RuntimeError), output::OutputError -> OSError.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "output/atomic_file.hpp"
#include "python/src/columns.hpp"
#include "python/src/comparison.hpp"
#include "python/src/run_results.hpp"
#include "python/src/scenario_handle.hpp"
#include "sim/batch/build_info.hpp"
#include "sim/batch/thread_count.hpp"
#include "sim/core/calendar.hpp"
#include "sim/core/error.hpp"

namespace py = pybind11;
using namespace pybind11::literals;

namespace tsim::python {

namespace {

// The exception types, created once when the module loads and kept for the
// life of the process (they are never released, so no static destructor
// touches Python after it has shut down).
PyObject* g_scenario_error = nullptr;
PyObject* g_simulation_error = nullptr;

void raise_scenario_error(const core::InputError& e) {
  py::list problems;
  for (const auto& p : e.problems()) problems.append(p.str());
  py::object error = py::reinterpret_borrow<py::object>(g_scenario_error)(e.what());
  error.attr("problems") = problems;
  PyErr_SetObject(g_scenario_error, error.ptr());
}

void translate(std::exception_ptr p) {
  try {
    if (p) std::rethrow_exception(p);
  } catch (const core::InputError& e) {
    try {
      raise_scenario_error(e);
    } catch (py::error_already_set& inner) {
      inner.restore();  // building the exception failed: raise that instead
    }
  } catch (const core::SimulationError& e) {
    PyErr_SetString(g_simulation_error, e.what());
  } catch (const core::IoError& e) {
    PyErr_SetString(PyExc_OSError, e.what());
  }
}

void add_errors(py::module_& m) {
  g_scenario_error = PyErr_NewExceptionWithDoc(
      "traineesim.ScenarioError",
      "A scenario, policy file or override is wrong. str() holds every problem, one per line, as\n"
      "'file:line:column: error: ...'; .problems is the list of those lines.",
      PyExc_ValueError, nullptr);
  g_simulation_error = PyErr_NewExceptionWithDoc(
      "traineesim.SimulationError", "A run failed while simulating; the message has the engine's context.",
      PyExc_RuntimeError, nullptr);
  if (!g_scenario_error || !g_simulation_error) throw py::error_already_set();
  m.attr("ScenarioError") = py::reinterpret_borrow<py::object>(g_scenario_error);
  m.attr("SimulationError") = py::reinterpret_borrow<py::object>(g_simulation_error);
  py::register_exception_translator(translate);
}

ScenarioHandle load_file(const std::string& path, std::vector<std::string> overrides,
                         std::vector<std::string> policies) {
  ScenarioSource source;
  source.path = path;
  source.overrides = std::move(overrides);
  source.policies = std::move(policies);
  return ScenarioHandle::load(std::move(source));
}

ScenarioHandle load_text(const std::string& text, const std::string& origin, std::vector<std::string> overrides,
                         std::vector<std::string> policies) {
  ScenarioSource source;
  source.text = text;
  source.origin = origin;
  source.overrides = std::move(overrides);
  source.policies = std::move(policies);
  return ScenarioHandle::load(std::move(source));
}

void add_scenario(py::module_& m) {
  py::class_<ScenarioHandle>(m, "Scenario", "A loaded, validated scenario (see traineesim.Scenario).")
      .def_property_readonly("name", [](const ScenarioHandle& s) { return s.loaded().spec.name; })
      .def_property_readonly("sha256", [](const ScenarioHandle& s) { return s.loaded().sha256; })
      .def_property_readonly("resolved_text", [](const ScenarioHandle& s) { return s.loaded().resolved_text; })
      .def_property_readonly("path", [](const ScenarioHandle& s) { return s.source().path; })
      .def_property_readonly("text", [](const ScenarioHandle& s) { return s.source().text; })
      .def_property_readonly("origin", [](const ScenarioHandle& s) { return s.source().origin; })
      .def_property_readonly("overrides", [](const ScenarioHandle& s) { return s.source().overrides; })
      .def_property_readonly("policy_files", [](const ScenarioHandle& s) { return s.source().policies; })
      .def_property_readonly("policies", [](const ScenarioHandle& s) { return s.loaded().spec.policies; })
      .def_property_readonly("warnings",
                             [](const ScenarioHandle& s) {
                               // The command line's lines: "file:line:column: warning: message".
                               std::vector<std::string> lines;
                               for (const auto& w : s.loaded().warnings)
                                 lines.push_back(w.where.str() + ": warning: " + w.message);
                               return lines;
                             })
      .def_property_readonly("variant", &ScenarioHandle::variant)
      .def_property_readonly("start_date",
                             [](const ScenarioHandle& s) { return core::format_date(s.loaded().spec.start_date); })
      .def_property_readonly("horizon_days", [](const ScenarioHandle& s) { return s.loaded().spec.horizon_days; })
      .def("states", [](const ScenarioHandle& s) { return states_columns(s.loaded().spec); })
      .def(
          "run",
          [](const ScenarioHandle& s, long long replications, long long seed, long long threads,
             const std::string& record) {
            return RunResults::run(s, checked_settings(replications, seed, threads, record));
          },
          "replications"_a, "seed"_a, "threads"_a, "record"_a);
  m.def("load", &load_file, "path"_a, "overrides"_a, "policies"_a, py::call_guard<py::gil_scoped_release>());
  m.def("load_text", &load_text, "text"_a, "origin"_a, "overrides"_a, "policies"_a,
        py::call_guard<py::gil_scoped_release>());
}

void add_results(py::module_& m) {
  py::class_<RunResults, std::shared_ptr<RunResults>>(m, "Results", "Replications run into memory.")
      .def("table", &RunResults::table, "name"_a)
      .def("dictionaries", &RunResults::dictionaries)
      .def("summary", &RunResults::summary)
      .def("write", &RunResults::write, "directory"_a, py::call_guard<py::gil_scoped_release>())
      .def_property_readonly("replications", [](const RunResults& r) { return r.settings().replications; })
      .def_property_readonly("seed", [](const RunResults& r) { return r.settings().seed; })
      .def_property_readonly("threads", [](const RunResults& r) { return r.settings().threads; })
      .def_property_readonly("record",
                             [](const RunResults& r) { return std::string(model::to_string(r.settings().level)); })
      .def_property_readonly("variant", &RunResults::variant)
      .def_property_readonly("scenario_name", [](const RunResults& r) { return r.loaded().spec.name; });
}

}  // namespace

}  // namespace tsim::python

PYBIND11_MODULE(_core, m) {
  using namespace tsim::python;
  m.doc() = "traineesim's engine (C++); use the traineesim package, not this module.";
  add_errors(m);
  add_scenario(m);
  add_results(m);
  m.def(
      "compare",
      [](const ScenarioHandle& baseline, const std::vector<std::string>& policies, long long replications,
         long long seed, long long threads, const std::string& record, bool independent_seeds) {
        return compare(baseline, policies, checked_settings(replications, seed, threads, record), independent_seeds);
      },
      "baseline"_a, "policies"_a, "replications"_a, "seed"_a, "threads"_a, "record"_a, "independent_seeds"_a);
  m.def("default_thread_count", &tsim::batch::default_thread_count);
  m.attr("__version__") = std::string(tsim::batch::build_info().version);
  m.attr("git_describe") = std::string(tsim::batch::build_info().git_describe);
}
