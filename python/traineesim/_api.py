"""Scenario, Results, load, load_text and compare: the public face of traineesim."""
import os
import warnings

from . import _core
from ._frames import columns_frame, table_frame
from ._overrides import set_texts

TABLES = ("census", "flows", "events", "persons", "pools")
COMPARISON_COLUMNS = ("indicator", "policy", "baseline_mean", "policy_mean", "difference", "ci_low", "ci_high",
                      "half_width_paired", "half_width_unpaired", "replications", "same_as_baseline")


def _paths(policies):
    if policies is None:
        return []
    if isinstance(policies, (str, bytes, os.PathLike)):
        policies = [policies]
    return [os.fsdecode(p) for p in policies]


def load(path, set=None, policies=None):  # noqa: A002 - `set` is the CLI's word
    """Loads and validates a scenario file, with `policies` (policy file paths,
    applied in order) and then the overrides `set` ({"parameters.cohort": 1000}:
    the command line's `--set parameters.cohort=1000`). Raises ScenarioError
    listing every problem as file:line:column. Plausibility warnings (legal,
    probably a mistake, e.g. staff leaving above 2 a year) are issued as
    ScenarioWarning and kept in Scenario.warnings."""
    return _warned(Scenario(_core.load(os.fsdecode(path), set_texts(set), _paths(policies))))


def load_text(text, origin="<text>", set=None, policies=None):  # noqa: A002
    """Like load(), from scenario text (TOML); `origin` names it in messages."""
    return _warned(Scenario(_core.load_text(text, origin, set_texts(set), _paths(policies))))


class ScenarioWarning(UserWarning):
    """A plausibility warning about a scenario: legal, probably a mistake. The
    message is the command line's "file:line:column: warning: ..." line."""


def _warned(scenario):
    # stacklevel 3: the warning points at the caller of load() / load_text().
    for line in scenario.warnings:
        warnings.warn(line, ScenarioWarning, stacklevel=3)
    return scenario


class Scenario:
    """A loaded, validated scenario (with its policies and overrides applied)."""

    def __init__(self, core):
        self._core = core

    name = property(lambda self: self._core.name, doc="[scenario] name")
    sha256 = property(lambda self: self._core.sha256, doc="hash of the resolved text (run files' scenario_sha256)")
    resolved_text = property(lambda self: self._core.resolved_text, doc="the TOML after policies and overrides")
    path = property(lambda self: self._core.path or None, doc="the scenario file (None if loaded from text)")
    origin = property(lambda self: self._core.origin, doc="the file, or the name given to the text")
    overrides = property(lambda self: list(self._core.overrides), doc="the `--set` texts applied")
    policy_files = property(lambda self: list(self._core.policy_files), doc="the policy files applied")
    policies = property(lambda self: list(self._core.policies), doc="the names of the policies applied")
    warnings = property(lambda self: list(self._core.warnings),
                        doc='plausibility warnings, "file:line:column: warning: ..." (never stop a run)')
    variant = property(lambda self: self._core.variant, doc='"baseline" or the policy names joined by "+"')
    start_date = property(lambda self: self._core.start_date, doc="day 0, as YYYY-MM-DD")
    horizon_days = property(lambda self: self._core.horizon_days, doc="days simulated")

    @property
    def states(self):
        """The states dictionary: code, name, profession, kind, band (-1: no band)."""
        return columns_frame(self._core.states())

    def run(self, replications=1, seed=1, threads=0, record="full"):
        """Runs replications 0..replications-1 with master seed `seed`, in memory,
        `threads` at once (0: all the CPUs this process may use). `record`:
        "full", "census" (no events) or "summary" (census, flows, pools only).
        Ctrl-C stops every replication and raises KeyboardInterrupt."""
        return Results(self, self._core.run(replications, seed, threads, record))

    def __repr__(self):
        where = self.path or self.origin
        extra = "".join(f", {k}={v!r}" for k, v in (("policies", self.policies), ("set", self.overrides)) if v)
        return f"<traineesim.Scenario {self.name!r} from {where!r}{extra}>"


class Results:
    """Replications of one scenario, held in memory. census, flows, events,
    persons and pools are DataFrames with a leading `replication` column and
    codes labelled (Categoricals), as traineesim_tools.load_run gives a file's;
    a table the record level does not write has its columns and no rows."""

    def __init__(self, scenario, core):
        self.scenario = scenario
        self._core = core
        self._frames = {}
        self._dictionaries = None

    replications = property(lambda self: self._core.replications)
    seed = property(lambda self: self._core.seed)
    record = property(lambda self: self._core.record)
    variant = property(lambda self: self._core.variant)

    def table(self, name):
        """One table by name ("census", "flows", "events", "persons", "pools")."""
        if name not in self._frames:
            if self._dictionaries is None:
                self._dictionaries = self._core.dictionaries()
            self._frames[name] = table_frame(self._core.table(name), self._dictionaries, self.scenario.start_date)
        return self._frames[name]

    census = property(lambda self: self.table("census"))
    flows = property(lambda self: self.table("flows"))
    events = property(lambda self: self.table("events"))
    persons = property(lambda self: self.table("persons"))
    pools = property(lambda self: self.table("pools"))

    @property
    def summary(self):
        """Per replication: persons, records (state changes and arrivals), events_handled."""
        return columns_frame(self._core.summary())

    def write(self, directory):
        """Writes <directory>/<variant>/run_<r>.h5, the files `traineesim run`
        writes for the same scenario and seed; returns their paths."""
        return self._core.write(os.fsdecode(directory))

    def __repr__(self):
        return (f"<traineesim.Results {self.scenario.name!r} {self.variant}: {self.replications} replication(s), "
                f"seed {self.seed}, record {self.record}>")


def compare(scenario, policies, replications, seed=1, threads=0, independent_seeds=False, record="census"):
    """Runs `scenario` (the baseline, loaded without policies) and the same
    scenario with each policy file, `replications` each, on common random
    numbers (unless `independent_seeds`), and returns the rows of
    comparison.h5's /comparison as a DataFrame: the numbers `traineesim
    compare` gives for the same arguments."""
    if not isinstance(scenario, Scenario):
        raise TypeError("compare needs a traineesim.Scenario (from traineesim.load)")
    columns = _core.compare(scenario._core, _paths(policies), replications, seed, threads, record,
                            bool(independent_seeds))
    return columns_frame(columns, COMPARISON_COLUMNS)
