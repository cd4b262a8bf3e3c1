"""Bad input raises traineesim.ScenarioError (a ValueError) whose .problems
hold every problem as file:line:column: error: ..., or another clear Python
error; nothing crashes.

usage: bad_input.py SOURCE_DIR WORK_DIR
"""
import os
import re
import shutil
import sys

import traineesim

source, work = sys.argv[1:3]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
PIPELINE = os.path.join(source, "scenarios", "bench", "pipeline.toml")
with open(PIPELINE) as f:
    TEXT = f.read()
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)


def raises(kind, call, what):
    try:
        call()
    except kind as e:
        return e
    except Exception as e:  # noqa: BLE001 - any other type is the failure being tested for
        failures.append(f"{what}: raised {type(e).__name__}: {e}, expected {kind.__name__}")
        return None
    failures.append(f"{what}: no error, expected {kind.__name__}")
    return None


def located(e, origin):
    """Every problem is 'origin:line:column: error: ...' and str(e) holds them all."""
    pattern = re.compile(re.escape(origin) + r":\d+:\d+: error: .+")
    return (isinstance(e, ValueError) and e.problems and all(pattern.fullmatch(p) for p in e.problems)
            and all(p in str(e) for p in e.problems))


# Unknown keys, in a file and in text, each reported with its position.
bad = TEXT.replace('[scenario]\n', '[scenario]\nbogus_key = 1\n').replace('[parameters]\n', '[parameters]\n[nonsense]\n')
path = os.path.join(work, "bad.toml")
with open(path, "w") as f:
    f.write(bad)
e = raises(traineesim.ScenarioError, lambda: traineesim.load(path), "unknown keys in a file")
check(e is not None and located(e, path), f"file problems located: {e and e.problems}")
check(e is not None and len(e.problems) >= 2, f"every problem reported at once: {e and e.problems}")
check(e is not None and any(f"{path}:9:1:" in p and "bogus_key" in p for p in e.problems),
      f"bogus_key at line 9, column 1: {e and e.problems}")
e = raises(traineesim.ScenarioError, lambda: traineesim.load_text(bad, origin="notebook cell"), "text")
check(e is not None and located(e, "notebook cell"), f"text problems named by origin: {e and e.problems}")

# Overrides: an unknown parameter, the second of two, values Python cannot turn into TOML.
e = raises(traineesim.ScenarioError, lambda: traineesim.load(PIPELINE, set={"parameters.cohrt": 5}), "--set key")
check(e is not None and located(e, "--set") and "cohort" in str(e), f"override problem: {e and e.problems}")
e = raises(traineesim.ScenarioError, lambda: traineesim.load(PIPELINE, set={"parameters.cohort": 100,
                                                                            "parameters.cohrt": 5}), "2 sets")
check(e is not None and located(e, "--set #2"), f"second override named: {e and e.problems}")
raises(TypeError, lambda: traineesim.load(PIPELINE, set={"parameters.cohort": object()}), "unconvertible value")
raises(TypeError, lambda: traineesim.load(PIPELINE, set=["parameters.cohort=5"]), "set as a list")

# Files that are not there, empty text, binary text, a broken policy.
e = raises(traineesim.ScenarioError, lambda: traineesim.load(os.path.join(work, "missing.toml")), "missing file")
check(e is not None and "no such file" in str(e), f"missing file message: {e}")
raises(traineesim.ScenarioError, lambda: traineesim.load_text(""), "empty text")
raises(traineesim.ScenarioError, lambda: traineesim.load_text("a = 1\0"), "NUL byte")
raises(traineesim.ScenarioError, lambda: traineesim.load_text("[scenario\n"), "TOML syntax")
raises(traineesim.ScenarioError, lambda: traineesim.load(PIPELINE, policies=[path]), "a scenario as a policy")
raises(traineesim.ScenarioError, lambda: traineesim.load(PIPELINE, policies=os.path.join(work, "no.toml")),
       "missing policy")

# Settings out of range, unknown names, an output folder that cannot be made.
scenario = traineesim.load(PIPELINE, set={"parameters.cohort": 50})
for kwargs in ({"replications": 0}, {"seed": -1}, {"seed": 2 ** 31}, {"threads": -1}, {"record": "everything"}):
    raises(ValueError, lambda: scenario.run(**kwargs), f"run({kwargs})")
results = scenario.run(replications=1, seed=3)
raises(ValueError, lambda: results.table("people"), "unknown table")
blocker = os.path.join(work, "a_file")
open(blocker, "w").close()
raises(OSError, lambda: results.write(os.path.join(blocker, "out")), "write under a file")
raises(ValueError, lambda: traineesim.compare(scenario, [], 3), "compare without policies")
raises(ValueError, lambda: traineesim.compare(scenario, [path], 1), "compare with one replication")
check(issubclass(traineesim.ScenarioError, ValueError), "ScenarioError is a ValueError")
check(issubclass(traineesim.SimulationError, RuntimeError), "SimulationError is a RuntimeError")

if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print("ok: bad input raises ScenarioError with locations, or ValueError/TypeError/OSError")
