"""The small things of the traineesim API: overrides as --set texts, names,
reprs, the states dictionary, text-loaded scenarios reloaded with policies,
the version.

usage: api.py SOURCE_DIR PROJECT_VERSION
"""
import datetime
import os
import sys

import traineesim
from traineesim._overrides import set_texts

source, version = sys.argv[1:3]
CYP = os.path.join(source, "scenarios", "cyp_psychological_professions.toml")
LADDER = os.path.join(source, "scenarios", "policies", "cwp_emhp_career_ladder.toml")
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)


check(traineesim.__version__ == version, f"__version__ {traineesim.__version__!r} is the project's {version!r}")
check(traineesim.git_describe != "", "git_describe is set")

texts = set_texts({"parameters.cohort": 1000, "scenario.name": "x", "a.flag": True, "b.rate": 0.25,
                   "c.day": datetime.date(2021, 4, 1), "d.list": [1, "two"], "e.text": "1000"})
check(texts == ["parameters.cohort=1000", "scenario.name=x", "a.flag=true", "b.rate=0.25", "c.day=2021-04-01",
                'd.list=[1, "two"]', "e.text=1000"], f"set texts {texts}")
check(set_texts(None) == [], "no overrides")

scenario = traineesim.load(CYP, set={"scenario.horizon_years": 2, "scenario.name": "short"})
check(scenario.name == "short", f"scenario.name override: {scenario.name}")
check(scenario.variant == "baseline" and scenario.policies == [], "a baseline")
check(scenario.path == CYP and scenario.overrides == ["scenario.horizon_years=2", "scenario.name=short"],
      "the scenario keeps where it came from")
check(len(scenario.sha256) == 64 and scenario.horizon_days == 730, f"hash and horizon {scenario.horizon_days}")
check(repr(scenario).startswith("<traineesim.Scenario 'short' from "), repr(scenario))
states = scenario.states
check(list(states.columns) == ["code", "name", "profession", "kind", "band"], f"states columns {states.columns}")
check(list(states.code) == list(range(len(states))) and "cwp_trainee" in set(states.name), "states rows")

with open(CYP) as f:
    text = f.read()
from_text = traineesim.load_text(text, origin="cyp", set={"scenario.horizon_years": 2, "scenario.name": "short"})
check(from_text.sha256 == scenario.sha256, "the same text and overrides give the same resolved scenario")
check(from_text.path is None and from_text.origin == "cyp", "a text scenario has an origin, no path")
with_policy = traineesim.load(CYP, policies=LADDER)
check(with_policy.variant == "career-ladder" and with_policy.policy_files == [LADDER], with_policy.variant)
check("career-ladder" in repr(with_policy), repr(with_policy))

# Plausibility warnings: none on a shipped scenario; a staff state leaving at 3 a
# year gives a ScenarioWarning with the CLI's line, and the scenario still loads.
check(scenario.warnings == [], f"no warnings on the shipped scenario: {scenario.warnings}")
PWP = os.path.join(source, "scenarios", "adult_talking_therapies.toml")
with open(PWP) as f:
    leaving = f.read() + '\n[[transitions]]\nfrom = "pwp"\nto = "left_nhs"\nhazard = { per_year = 3 }\n'
import warnings  # noqa: E402
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    warned = traineesim.load_text(leaving, origin="fast.toml")
lines = [str(w.message) for w in caught if issubclass(w.category, traineesim.ScenarioWarning)]
check(len(warned.warnings) >= 1 and lines == warned.warnings, f"warnings {warned.warnings} issued as {lines}")
check(all(line.startswith("fast.toml:") and ": warning: " in line for line in lines), f"warning lines {lines}")
check(all(w.filename == __file__ for w in caught), "a warning points at the caller of load_text")

results = scenario.run(replications=2, seed=9, record="census")
check(repr(results) == "<traineesim.Results 'short' baseline: 2 replication(s), seed 9, record census>",
      repr(results))
check(results.replications == 2 and results.seed == 9 and results.record == "census", "results settings")
check(len(results.events) == 0 and len(results.persons) > 0, "record census: no events, persons")
check(results.census is results.census, "tables are built once")
summary = results.summary
check(list(summary.replication) == [0, 1] and (summary.persons > 0).all(), f"summary\n{summary}")
check(set(results.persons.route.cat.categories) >= {"initial_stock"}, "route -1 is initial_stock")
check(results.persons.qualified_state.isna().any(), "state -1 (never qualified) is missing")

# A text-loaded baseline reloads with each policy, as a file-loaded one does.
a = traineesim.compare(scenario, [LADDER], replications=2, seed=4)
b = traineesim.compare(from_text, [LADDER], replications=2, seed=4)
check(a.equals(b), "compare from text equals compare from the file")
check(list(a.columns) == ["indicator", "policy", "baseline_mean", "policy_mean", "difference", "ci_low", "ci_high",
                          "half_width_paired", "half_width_unpaired", "replications", "same_as_baseline"], f"columns {a.columns}")
check(str(a.replications.dtype) == "int32" and set(a.policy) == {"career-ladder"}, "policy and replications")

if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print("ok: API details")
