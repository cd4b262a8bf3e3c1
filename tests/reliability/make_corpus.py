"""Writes the broken-scenario corpus (tests/reliability/broken/*.toml).

Each case is the valid base scenario with one mistake. The header of each
file says what the loader must answer:
    # expect: <text the message must contain>
    # line: <line the message must point at>   (where a location exists)
Run with any python3 to regenerate; the files are committed.
"""
import os

BASE = '''[scenario]
name = "base"
start_date = 2020-04-01
horizon_years = 5
census = { every = "quarter", by = ["sex"] }

[parameters]
cohort = 100
pass_rate = 0.9

[attributes.sex]
levels = ["F", "M"]
population = [0.5, 0.5]

[pools.supervision]
capacity = 50
renege = { after_days = 180, to = "left" }

[states.trainee]
kind = "training"
needs = "supervision"

[states.qualified]
kind = "post"
band = 5
qualified = true

[states.left]
kind = "exit"

[routes.main]
enters = "trainee"
intake = { on = "09-01", places = "cohort" }
mix = { sex = [0.7, 0.3] }

[stock.qualified]
count = 40
tenure_years = { uniform = [0, 3] }

[[transitions]]
from = "trainee"
after_years = 1
branch = [ { to = "qualified", p = "pass_rate" }, { to = "left", p = "1 - pass_rate" } ]

[[transitions]]
from = "trainee"
hazard = { per_year = 0.05 }
to = "left"

[[transitions]]
from = "qualified"
hazard = { per_year = 0.1 }
ratio = { sex = { M = 1.1 } }
to = "left"
'''

# (file name, old text, new text, expected message fragment)
CASES = [
    ("syntax_unclosed_table", "[states.left]", "[states.left", "expected"),
    ("syntax_bad_value", "cohort = 100", "cohort = 1 00", "expected a comment or whitespace"),
    ("syntax_duplicate_key", "pass_rate = 0.9", "pass_rate = 0.9\npass_rate = 0.8", "cannot redefine", 1),
    ("syntax_unterminated_string", 'kind = "exit"', 'kind = "exit', "string"),
    ("unknown_top_level_key", "[parameters]", "[parameter]\nx = 1\n[parameters]", "unknown key 'parameter' in the top level (did you mean 'parameters'?)"),
    ("unknown_scenario_key", "horizon_years = 5", "horizon_years = 5\nhorizn_days = 3", "unknown key 'horizn_days' in [scenario] (did you mean 'horizon_days'?)", 1),
    ("unknown_state_key", "qualified = true", "qualified = true\nbnad = 5", "unknown key 'bnad' in [states.qualified] (did you mean 'band'?)", 1),
    ("unknown_transition_key", "to = \"left\"\n\n[[transitions]]\nfrom = \"qualified\"", "to = \"left\"\nwhile_supervized = true\n\n[[transitions]]\nfrom = \"qualified\"", "unknown key 'while_supervized' in [transitions.1] (did you mean 'while_supervised'?)", 1),
    ("unknown_hazard_key", "hazard = { per_year = 0.05 }", "hazard = { per_yaer = 0.05 }", "exactly one of per_year, per_day, weibull, gompertz"),
    ("unknown_distribution", "tenure_years = { uniform = [0, 3] }", "tenure_years = { unifrom = [0, 3] }", "unknown distribution 'unifrom' (did you mean 'uniform'?)"),
    ("wrong_type_kind", 'kind = "exit"', "kind = 3", "kind must be a string, got an integer"),
    ("wrong_type_levels", 'levels = ["F", "M"]', 'levels = "F, M"', "levels must be an array of strings"),
    ("wrong_type_capacity", "capacity = 50", "capacity = true", "must be a number or an expression string, got a boolean"),
    ("wrong_type_band", "band = 5", "band = 5.5", "band must be a whole number"),
    ("wrong_type_qualified", "qualified = true", 'qualified = "yes"', "must be true or false"),
    ("negative_rate", "hazard = { per_year = 0.05 }", "hazard = { per_year = -0.05 }", "hazard rates must not be negative"),
    ("nan_rate", "hazard = { per_year = 0.05 }", "hazard = { per_year = nan }", "must be a finite number"),
    ("infinite_rate", "hazard = { per_year = 0.1 }", "hazard = { per_year = inf }", "must be a finite number"),
    ("negative_duration", "after_years = 1", "after_years = -1", "must not be negative"),
    ("negative_count", "count = 40", "count = -40", "must be between 0 and"),
    ("branch_probabilities_sum", "p = \"1 - pass_rate\" }", "p = 0.2 }", "branch probabilities must sum to 1"),
    ("branch_probability_above_one", "p = \"pass_rate\" }", "p = 1.5 }", "must be a probability in [0, 1]"),
    ("population_sum", "population = [0.5, 0.5]", "population = [0.5, 0.6]", "shares must sum to 1"),
    ("mix_wrong_length", "mix = { sex = [0.7, 0.3] }", "mix = { sex = [0.7, 0.2, 0.1] }", "has 3 values but attribute 'sex' has 2 levels"),
    ("undeclared_state_in_transition", 'to = "left"\n\n[[transitions]]\nfrom = "qualified"', 'to = "lfet"\n\n[[transitions]]\nfrom = "qualified"', "undeclared state 'lfet' (did you mean 'left'?)"),
    ("undeclared_state_in_route", 'enters = "trainee"', 'enters = "trainees"', "undeclared state 'trainees' (did you mean 'trainee'?)"),
    ("undeclared_pool", 'needs = "supervision"', 'needs = "supervisoin"', "undeclared pool 'supervisoin' (did you mean 'supervision'?)"),
    ("undeclared_attribute_in_ratio", "ratio = { sex = { M = 1.1 } }", "ratio = { gender = { M = 1.1 } }", "undeclared attribute 'gender'"),
    ("undeclared_level_in_ratio", "ratio = { sex = { M = 1.1 } }", "ratio = { sex = { X = 1.1 } }", "'X' is not a level of attribute 'sex'"),
    ("undeclared_route_attribute_in_census", 'by = ["sex"]', 'by = ["ethnicity"]', "undeclared attribute 'ethnicity'"),
    ("undeclared_parameter", 'places = "cohort"', 'places = "cohrt"', "unknown parameter 'cohrt'"),
    ("parameter_cycle", "cohort = 100", 'cohort = "2 * cohort"', "cycle"),
    ("expression_syntax", 'places = "cohort"', 'places = "cohort *"', "expression"),
    ("division_by_zero", 'places = "cohort"', 'places = "cohort / 0"', "division by zero"),
    ("unreachable_state", "[states.left]", "[states.limbo]\nkind = \"post\"\n\n[states.left]", "state 'limbo' cannot be reached"),
    ("dead_end_state", "[states.left]", "[states.stuck]\nkind = \"post\"\n\n[states.left]", "state 'stuck' is a dead end", 0, "any"),
    ("exit_state_with_transition", 'from = "qualified"', 'from = "left"', "is an exit state; nobody leaves it"),
    ("intake_outside_horizon", 'intake = { on = "09-01", places = "cohort" }', 'intake = { on = "09-01", places = { 2031 = 100 } }', "outside the scenario"),
    ("bad_intake_date", 'on = "09-01"', 'on = "09-31"', "must be a month-day"),
    ("bad_start_date", "start_date = 2020-04-01", 'start_date = "2020-13-01"', "start_date must be a date"),
    ("horizon_too_long", "horizon_years = 5", "horizon_years = 5000", "at most 1000 years"),
    ("absurd_places", 'places = "cohort"', "places = 1e15", "must be between 0 and"),
    ("too_many_people", "count = 40", "count = 499999999", "would create"),
    ("unsafe_name", 'name = "base"', 'name = "../../etc/passwd"', "output paths"),
    ("absolute_name", 'name = "base"', 'name = "/tmp/x"', "output paths"),
    ("long_name", 'name = "base"', 'name = "' + "n" * 300 + '"', "output paths"),
    ("missing_scenario_table", '[scenario]\nname = "base"\nstart_date = 2020-04-01\nhorizon_years = 5\ncensus = { every = "quarter", by = ["sex"] }\n', "", "needs 'scenario'"),
    ("missing_kind", 'kind = "exit"', "", "[states.left] needs 'kind' (waiting, training, post or exit) or 'role'", -1),
    ("both_to_and_branch", 'to = "left"\n\n[[transitions]]\nfrom = "qualified"', 'to = "left"\nbranch = [ { to = "left", p = 1.0 } ]\n\n[[transitions]]\nfrom = "qualified"', "[transitions.1] needs exactly one of 'to'", -3),
    ("timing_twice", "after_years = 1", "after_years = 1\nafter_days = 365", "[transitions.0] takes at most one of after_days, after_months, after_years, hazard", -2),
    ("census_every_typo", 'every = "quarter"', 'every = "quater"', "(did you mean 'quarter'?)"),
    ("zero_time_cycle", "[[transitions]]\nfrom = \"trainee\"\nafter_years = 1", "[[transitions]]\nfrom = \"qualified\"\nto = \"trainee\"\n\n[[transitions]]\nfrom = \"trainee\"\nafter_years = 1", "fires at once"),
    ("renege_to_unknown", 'renege = { after_days = 180, to = "left" }', 'renege = { after_days = 180, to = "gone" }', "undeclared state 'gone'"),
    ("provides_unknown_pool", "qualified = true", 'qualified = true\nprovides = { pool = "mentoring", slots = 2 }', "undeclared pool 'mentoring'", 1),
    ("deep_nesting", "cohort = 100", "cohort = 100\ndeep = " + "[" * 300 + "]" * 300, "maximum nested value depth"),
]


def main():
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "broken")
    os.makedirs(here, exist_ok=True)
    for i, (name, old, new, expect, *rest) in enumerate(CASES):
        assert BASE.count(old) >= 1, name
        text = BASE.replace(old, new, 1)
        # The line of the change (two header lines come first), moved by a
        # per-case offset where the message points at a neighbouring line.
        line = BASE[: BASE.index(old)].count("\n") + 1 + 2 + (rest[0] if rest else 0)
        if name in NO_LINE or (len(rest) > 1 and rest[1] == "any"):
            line = "any"
        header = f"# expect: {expect}\n# line: {line}\n"
        with open(os.path.join(here, f"{i:02d}_{name}.toml"), "w") as f:
            f.write(header + text)
    # Not TOML at all.
    with open(os.path.join(here, "90_empty.toml"), "w") as f:
        f.write("")
    with open(os.path.join(here, "91_binary_garbage.toml"), "wb") as f:
        f.write(bytes((i * 37 + 11) % 256 for i in range(512)))
    with open(os.path.join(here, "92_invalid_utf8.toml"), "wb") as f:
        f.write(b'# expect: invalid utf-8\n# line: 4\n[scenario]\nname = "caf\xe9"\n')
    os.makedirs(os.path.join(here, "93_directory.toml"), exist_ok=True)
    with open(os.path.join(here, "93_directory.toml", ".keep"), "w") as f:
        f.write("a directory where a file should be\n")


# Cases whose message has no single line to point at (whole-file or graph-level findings).
NO_LINE = {"missing_scenario_table", "too_many_people", "deep_nesting", "zero_time_cycle"}

if __name__ == "__main__":
    main()
