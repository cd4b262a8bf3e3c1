"""Writes the broken-input corpus (tests/reliability/broken/) and the valid
files its cases lean on (tests/reliability/inputs/).

Scenario cases (NN_name.toml) are the valid base scenario with one mistake;
policy cases (pNN_name.policy.toml) are applied to inputs/base.toml with
--policy; sweep cases (sNN_name.sweep.toml) run with `sweep`. The header of
each file says what the command must answer (corpus_test.cpp checks it):
    # expect: <text the message must contain>
    # line: <line the message must point at, or "any">
    # exit: <exit status>                        (new cases; 2 when absent)
    # class: <crash|hang|collision|failure path|validation gap|size/limit>
    # problems: <how many error lines, or "any">
    # where: <file the message points into, relative to tests/reliability>
                                                  (only when not this file)
Command-line cases (bad --set, --shard, -o, numbers) are in corpus_test.cpp.
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
    ("unknown_hazard_key", "hazard = { per_year = 0.05 }", "hazard = { per_yaer = 0.05 }", "exactly one of per_year, per_day, annual_share, weibull, gompertz"),
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
    ("intake_outside_horizon", 'intake = { on = "09-01", places = "cohort" }', 'intake = { on = "09-01", places = { 2019 = 100 } }', "outside the scenario"),
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


def write(path, text, mode="w"):
    with open(path, mode) as f:
        f.write(text)


def line_of(text, marker):
    """1-based line of the first occurrence of marker in text."""
    assert marker in text, marker
    return text[: text.index(marker)].count("\n") + 1


def header(expect, line, klass, problems="any", exit_status=2, where=None):
    h = f"# expect: {expect}\n# line: {line}\n# exit: {exit_status}\n# class: {klass}\n# problems: {problems}\n"
    return h + (f"# where: {where}\n" if where else "")


def new_case(here, file_name, body, expect, at, klass, problems="any", where=None):
    """A case with the five-line header; `at` is a marker whose line the
    message must point at (in this file), an int (a line of another file:
    `where`), or "any"."""
    lines = 5 + (1 if where else 0)
    if isinstance(at, str) and at != "any":
        at = line_of(body, at) + lines
    write(os.path.join(here, file_name), header(expect, at, klass, problems, where=where) + body)


def replaced(old, new, text=None):
    text = BASE if text is None else text
    assert old in text, old
    return text.replace(old, new, 1)


def nested(open_, inner, close, n):
    return open_ * n + inner + close * n


ROUTE = 'intake = { on = "09-01", places = "cohort" }\n'


def route_with(extra):
    return replaced(ROUTE, ROUTE + extra)


def scenario_cases(here):
    c = lambda n, *a, **k: new_case(here, f"{n}.toml", *a, **k)
    # ---- validation gaps: FTE and age supports, names, dates, values
    c("100_fte_uniform_from_zero", route_with("fte = { uniform = [0, 1] }\n"), "routes.main.fte must lie in (0, 1.5] (whole-time equivalent) wherever the distribution can reach, but it reaches from 0 to 1", "fte =", "validation gap", 1)
    c("101_fte_discrete_with_zero", route_with("fte = { discrete = { values = [0, 1], p = [0.1, 0.9] } }\n"), "routes.main.fte must lie in (0, 1.5]", "fte =", "validation gap", 1)
    c("102_fte_triangular_from_zero", route_with("fte = { triangular = [0, 0.8, 1] }\n"), "but it reaches from 0 to 1", "fte =", "validation gap", 1)
    c("103_fte_above_limit", route_with("fte = 1.6\n"), "routes.main.fte must lie in (0, 1.5] (whole-time equivalent) wherever the distribution can reach, but got 1.6", "fte =", "validation gap", 1)
    c("104_fte_unbounded", route_with("fte = { exponential = { mean = 0.8 } }\n"), "but it reaches from 0 to inf", "fte =", "validation gap", 1)
    c("105_fte_stock_lognormal", replaced("count = 40\n", "count = 40\nfte = { lognormal = { median = 0.9, sd_log = 0.1 } }\n"), "stock.qualified.fte must lie in (0, 1.5]", "fte =", "validation gap", 1)
    c("106_age_above_120", route_with("age_years = 121\n"), "routes.main.age_years must lie in 0 to 120 years, but it reaches from 121 to 121", "age_years =", "validation gap", 1)
    c("107_age_uniform_to_130", route_with("age_years = { uniform = [20, 130] }\n"), "routes.main.age_years must lie in 0 to 120 years, but it reaches from 20 to 130", "age_years =", "validation gap", 1)
    c("108_age_exponential_tail", route_with("age_years = { exponential = { mean = 30 } }\n"), "routes.main.age_years must lie in 0 to 120 years, but its 99.9th percentile is 207.233 years", "age_years =", "validation gap", 1)
    c("109_age_lognormal_tail", replaced("count = 40\n", "count = 40\nage_years = { lognormal = { median = 45, sd_log = 0.4 } }\n"), "stock.qualified.age_years must lie in 0 to 120 years, but its 99.9th percentile is", "age_years =", "validation gap", 1)
    c("110_age_weibull_no_quantile", route_with("age_years = { weibull = { shape = 0.001, scale = 30 } }\n"), "its 99.9th percentile is inf years", "age_years =", "validation gap", 1)
    c("111_name_starts_with_dash", replaced('name = "base"', 'name = "-rf"'), "scenario.name '-rf' must be 1-100 letters, digits, '_', '-' or '.', not starting with '-' or '.'", 'name = "-rf"', "validation gap", 1)
    c("112_name_starts_with_dot", replaced('name = "base"', 'name = ".hidden"'), "scenario.name '.hidden' must be 1-100 letters", 'name = ".hidden"', "validation gap", 1)
    c("113_state_name_starts_with_dash", replaced("[states.left]", '[states."-gone"]\nkind = "exit"\n\n[states.left]'), "state name '-gone' must be 1-100 letters", '[states."-gone"]', "validation gap", 1)
    c("114_state_name_starts_with_dot", replaced("[states.left]", '[states.".gone"]\nkind = "exit"\n\n[states.left]'), "state name '.gone' must be 1-100 letters", '[states.".gone"]', "validation gap", 1)
    c("115_counts_listed_twice", route_with('') .replace(ROUTE, 'intake = { on = "09-01", establishment = 50, counts = ["trainee", "trainee"] }\n'), "routes.main: counts lists state 'trainee' twice", "counts =", "validation gap", 1)
    c("116_expression_not_finite", replaced('places = "cohort"', 'places = "10 ^ 400"'), "the expression's value is not a finite number", 'places = "10', "validation gap", 1)
    c("117_start_date_impossible", replaced("start_date = 2020-04-01", 'start_date = "2021-02-29"'), "scenario.start_date must be a date such as 2020-04-01", "start_date", "validation gap", 1)
    # ---- collisions: names that would share a stream, a column or a cell
    c("120_route_key_collision", BASE + '\n[routes.route408]\nenters = "trainee"\nintake = { first_day = 1, places = 1 }\n\n[routes.route786]\nenters = "trainee"\nintake = { first_day = 1, places = 1 }\n', "routes 'route408' and 'route786' share a random key (a hash collision); rename one", "[routes.route786]", "collision", 1)
    c("121_stock_key_collision", BASE + '\n[stock.stock948]\nstate = "qualified"\ncount = 1\n\n[stock.stock1516]\nstate = "qualified"\ncount = 1\n', "stock entries 'stock1516' and 'stock948' share a random key", "[stock.stock948]", "collision", 1)
    c("122_attribute_stream_collision", replaced("[pools.supervision]", '[attributes.attr3601]\nlevels = ["a"]\npopulation = [1]\n\n[attributes.attr27900]\nlevels = ["a"]\npopulation = [1]\n\n[pools.supervision]'), "attributes 'attr27900' and 'attr3601' share a random stream (a hash collision); rename one", "[attributes.attr3601]", "collision", 1)
    c("123_attribute_named_like_a_column", replaced("[pools.supervision]", '[attributes.fte]\nlevels = ["a"]\npopulation = [1]\n\n[pools.supervision]'), "attribute name 'fte' is already a column of the output tables", "[attributes.fte]", "collision", 1)
    c("124_level_listed_twice", replaced('levels = ["F", "M"]', 'levels = ["F", "F"]'), "level 'F' is listed twice", "levels =", "collision")
    c("125_census_by_twice", replaced('by = ["sex"]', 'by = ["sex", "sex"]'), "scenario.census.by lists 'sex' twice", "census =", "collision", 1)
    c("126_scenario_named_baseline", replaced('name = "base"', 'name = "baseline"'), "scenario.name 'baseline' is a name the outputs use themselves; pick another", 'name = "baseline"', "collision", 1)
    c("127_scenario_named_like_the_index", replaced('name = "base"', 'name = "sweep.h5"'), "scenario.name 'sweep.h5' is a name the outputs use themselves", 'name = "sweep.h5"', "collision", 1)
    # ---- failure paths: one fatal problem, no follow-on problems; empty files
    c("130_horizon_twice_alone", replaced("horizon_years = 5", "horizon_years = 5\nhorizon_days = 100") .replace(ROUTE, 'intake = [ { on = "09-01", places = "cohort" }, { first_day = 250, places = 5 } ]\n'), "scenario horizon: give one of 'horizon_days', 'horizon_months' or 'horizon_years', not several", "horizon_years", "failure path", 1)
    c("131_bad_start_date_alone", replaced("start_date = 2020-04-01", 'start_date = "April"').replace(ROUTE, 'intake = { on = "09-01", places = { 2021 = 100, 2022 = 100 } }\n'), "scenario.start_date must be a date such as 2020-04-01", "start_date", "failure path", 1)
    c("132_bad_parameter_reported_once", replaced("cohort = 100", 'cohort = "coh0rt + 1"\nsupervisors = "cohort / 2"\nplaces2 = "cohort * 3"'), "parameter 'cohort': unknown parameter 'coh0rt' in expression \"coh0rt + 1\"", "cohort =", "failure path", 1)
    c("133_comments_only", "# nothing here but comments\n\n# and a blank line\n", "the file is empty (only comments and blank lines)", 1, "failure path", 1)
    c("134_missing_horizon_alone", replaced("horizon_years = 5\n", ""), "[scenario] needs the horizon: horizon_years, horizon_months, horizon_days or end_date", "[scenario]", "failure path", 1)
    # ---- crashes: inputs that overflowed the stack
    c("140_deep_parentheses", replaced("cohort = 100", 'cohort = "' + nested("(", "1", ")", 300) + '"'), "parameter 'cohort': the expression is nested too deeply: the limit is 200 levels", "cohort =", "crash", 1)
    c("141_deep_signs", replaced("cohort = 100", 'cohort = "' + "-" * 400 + '100"'), "the expression is nested too deeply: the limit is 200 levels", "cohort =", "crash", 1)
    c("142_deep_powers", replaced("cohort = 100", 'cohort = "' + "1^" * 300 + '1"'), "the expression is nested too deeply", "cohort =", "crash", 1)
    c("143_deep_calls", replaced('places = "cohort"', 'places = "' + nested("abs(", "cohort", ")", 250) + '"'), "routes.main.intake.places: the expression is nested too deeply", 'places = "abs', "crash", 1)
    chain = "".join(f'p{i} = "p{i + 1} + 1"\n' for i in range(1100)) + "p1100 = 0\n"
    c("144_parameter_chain", replaced("cohort = 100", 'cohort = "p0"\n' + chain), "parameter 'p998' ends a chain of more than 1000 parameters, each referring to the next; the limit is 1000", "p998 =", "crash", 1)
    c("145_parameter_cycle_long", replaced("cohort = 100", 'cohort = "q0"\n' + "".join(f'q{i} = "q{i + 1}"\n' for i in range(50)) + 'q50 = "q0"'), "parameter 'q0' refers to itself (a cycle of parameters)", "q0 =", "crash", 1)
    # found by input_fuzzer: evaluating an expression that does not parse looked up its own name again and again
    c("146_self_reference_before_syntax_error", replaced("cohort = 100", 'cohort = "m((1----cohort---x((0 + (4 - r * ()rs"'), "parameter 'cohort': unexpected ')' in expression", "cohort =", "crash", 1)
    # ---- hangs: work bounded whatever the input
    c("150_long_expression", replaced('places = "cohort"', 'places = "' + "+".join(["1"] * 5001) + '"'), "the expression is 10001 characters long; the limit is 10000 characters", 'places = "1+', "hang", 1)
    c("151_thousands_of_problems", replaced("[parameters]", "[parameters]\n" + "".join(f"cohort{i} = \"nope{i}\"\n" for i in range(1200))), "too many problems: stopped after 1000; fix these first", "any", "hang", 1001)
    # ---- sizes and limits, checked before anything is allocated
    c("160_people_overflow", BASE + "".join(f'\n[routes.arrivals{i}]\nenters = "trainee"\nintake = {{ poisson_per_day = 1e300 }}\n' for i in range(40)), "the scenario would create more than 10^18 people; the limit is 500000000", 1, "size/limit", 1)
    c("161_people_listed_years", route_with("").replace(ROUTE, 'intake = { on = "09-01", places = { 2021 = 400000000, 2022 = 400000000 } }\n'), "the scenario would create 800000040 people; the limit is 500000000", 1, "size/limit", 1)
    c("162_intakes_per_route", route_with("").replace(ROUTE, 'intake = { first_day = 0, every_days = 0.01, count = 70000, places = 0 }\n'), "routes.main has more than 65535 intakes", "[routes.main]", "size/limit", 1)
    c("163_intakes_in_all", BASE + "".join(f'\n[routes.many{i}]\nenters = "trainee"\nintake = {{ first_day = 0, every_days = 0.01, count = 60000, places = 0 }}\n' for i in range(17)), "the scenario has more than 1000000 intakes in all", "[routes.many9]", "size/limit", 1)
    c("164_too_many_modifiers", BASE + "".join('\n[[modifiers]]\nfactor = 1\nfrom = "qualified"\n' for _ in range(1001)), "too many modifiers: 1001 (at most 1000)", "[[modifiers]]", "size/limit", 1)
    c("165_too_many_levels", replaced('levels = ["F", "M"]\npopulation = [0.5, 0.5]', "levels = [" + ", ".join(f'"L{i}"' for i in range(256)) + "]\npopulation = { L0 = 1 }").replace('mix = { sex = [0.7, 0.3] }', 'mix = { sex = { L0 = 1 } }').replace('ratio = { sex = { M = 1.1 } }\n', ''), "attributes.sex.levels must have 1 to 255 levels, got 256", "levels =", "size/limit", 1)
    attrs = "".join(f'[attributes.a{k}]\nlevels = [{", ".join(f"{chr(34)}x{i}{chr(34)}" for i in range(255))}]\npopulation = {{ x0 = 1 }}\n\n' for k in range(3))
    c("166_census_cells", replaced("[pools.supervision]", attrs + "[pools.supervision]").replace('by = ["sex"]', 'by = ["a0", "a1", "a2"]'), "scenario.census.by gives 16581375 attribute combinations over 3 states: too many cells", "census =", "size/limit", 1)
    c("167_too_many_stock", replaced("count = 40", "count = 600000000"), "stock.qualified.count must be between 0 and 500000000, got 600000000", "count =", "size/limit", 1)


def policy_cases(here):
    c = lambda n, *a, **k: new_case(here, f"{n}.policy.toml", *a, **k)
    ok = '[policy]\nname = "pol"\n'
    c("p01_effective_not_a_date", '[policy]\nname = "pol"\neffective = "2021-13-01"\n', "policy.effective must be a date such as 2021-04-01", "effective", "validation gap", 1)
    c("p02_named_baseline", '[policy]\nname = "baseline"\n', "policy.name 'baseline' is a name the outputs use themselves; pick another", "name =", "collision", 1)
    c("p03_name_starts_with_dash", '[policy]\nname = "-p"\n', "policy.name '-p' must be 1-100 letters", "name =", "validation gap", 1)
    c("p04_name_starts_with_dot", '[policy]\nname = ".p"\n', "policy.name '.p' must be 1-100 letters", "name =", "validation gap", 1)
    c("p05_undeclared_state", ok + '\n[[transitions]]\nfrom = "qualified"\nafter_years = 2\nto = "senoir"\n', "transitions.3.to refers to undeclared state 'senoir'", 'to = "senoir"', "failure path", 1)
    c("p06_unknown_key_in_scenario_table", ok + '\n[states.qualified]\nbnad = 6\n', "unknown key 'bnad' in [states.qualified] (did you mean 'band'?)", "bnad", "failure path", 1)
    c("p07_bad_parameter", ok + '\n[parameters]\npass_rate = "pass_rat * 2"\n', "parameter 'pass_rate': unknown parameter 'pass_rat' in expression", "pass_rate =", "failure path", 1)
    c("p08_negative_rate", ok + '\n[[transitions]]\nfrom = "qualified"\nhazard = { per_year = -0.1 }\nto = "left"\n', "hazard rates must not be negative", "hazard =", "failure path", 1)
    c("p09_new_route_bad_fte", ok + '\n[routes.returners]\nenters = "qualified"\nintake = { on = "04-01", places = 10 }\nmix = { sex = [0.5, 0.5] }\nfte = { uniform = [0, 1] }\n', "routes.returners.fte must lie in (0, 1.5]", "fte =", "validation gap", 1)
    c("p10_modifier_undeclared_state", ok + '\n[[modifiers]]\nfactor = 0.8\nfrom = "qualifed"\n', "modifiers.0.from refers to undeclared state 'qualifed' (did you mean 'qualified'?)", 'from = "qualifed"', "failure path", 1)
    c("p11_no_policy_table", "# a policy file without [policy]\n\n[parameters]\npass_rate = 0.95\n", "a policy file needs a [policy] table with at least 'name'", 1, "failure path", 1)
    c("p12_deep_expression", ok + '\n[parameters]\npass_rate = "' + nested("(", "0.9", ")", 250) + '"\n', "the expression is nested too deeply: the limit is 200", "pass_rate =", "crash", 1)
    c("p13_replaces_horizon", ok + '\n[scenario]\nhorizon_days = 100\n', "scenario horizon: give one of 'horizon_days', 'horizon_months' or 'horizon_years', not several", "horizon_days", "failure path", 1)


def sweep_cases(here):
    c = lambda n, *a, **k: new_case(here, f"{n}.sweep.toml", *a, **k)
    head = '[sweep]\nname = "{}"\nscenario = "../inputs/base.toml"\n'
    c("s01_name_starts_with_dash", head.format("-s"), "sweep.name '-s' must be 1-100 letters", "name =", "validation gap", 1)
    c("s02_name_starts_with_dot", head.format(".s"), "sweep.name '.s' must be 1-100 letters", "name =", "validation gap", 1)
    c("s03_too_many_runs", head.format("s") + "replications = 100000\n[lhs]\nsamples = 100\nranges = { \"parameters.cohort\" = [50, 150] }\n", "the sweep has 1e+07 runs (1 variant(s) x 100 sample(s) x 100000 replication(s)); the limit is 1000000", "[sweep]", "size/limit", 1)
    c("s04_grid_explosion", head.format("s") + "[grid]\n" + "".join(f'"parameters.p{k}" = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n' for k in range(30)), "the sweep has 1e+30 runs (1 variant(s) x 1e+30 sample(s) x 1 replication(s)); the limit is 1000000", "[sweep]", "hang", 1)
    c("s05_too_many_keys", head.format("s") + "[grid]\n" + "".join(f'"parameters.p{k}" = [1]\n' for k in range(1001)), "the sweep varies 1001 keys; the limit is 1000", "[sweep]", "size/limit", 1)
    c("s06_duplicate_policy_names", head.format("s") + 'policies = ["../inputs/same_name_a.toml", "../inputs/same_name_b.toml"]\n', "policy name 'same' is also the name of", 4, "collision", 1, where="inputs/same_name_b.toml")
    c("s07_policy_named_baseline", head.format("s") + 'policies = ["../inputs/named_baseline.toml"]\n', "policy.name 'baseline' is a name the outputs use themselves", 2, "collision", 1, where="inputs/named_baseline.toml")
    c("s08_too_many_people", '[sweep]\nname = "s"\nscenario = "../inputs/big.toml"\nreplications = 3000\n', "the sweep would simulate about 1.2e+12 people (3000 runs x 400000000 people in the scenario); the limit is 1e+12", "[sweep]", "size/limit", 1)
    c("s09_same_policy_twice", head.format("s") + 'policies = ["../inputs/same_name_a.toml", "../inputs/same_name_a.toml"]\n', "is also the name of this same file, listed twice", 2, "collision", 1, where="inputs/same_name_a.toml")
    c("s10_missing_policy", head.format("s") + 'policies = ["../inputs/no_such_policy.toml"]\n', "no such file", "any", "failure path", 1, where="inputs/no_such_policy.toml")
    c("s11_comments_only", "# a sweep file with nothing in it\n", "the file is empty (only comments and blank lines); a sweep file needs at least [sweep]", 1, "failure path", 1)
    c("s12_replications_overflow", head.format("s") + "replications = 99999999999999999999\n", "replications", "replications =", "validation gap", 1)


def inputs(inputs_dir):
    """The valid files the cases lean on."""
    os.makedirs(inputs_dir, exist_ok=True)
    write(os.path.join(inputs_dir, "base.toml"), "# The corpus's valid base scenario (make_corpus.py).\n" + BASE)
    write(os.path.join(inputs_dir, "big.toml"), "# A valid scenario of 400 million people (make_corpus.py).\n" + BASE.replace("count = 40", "count = 399999500"))
    write(os.path.join(inputs_dir, "same_name_a.toml"), '[policy]\nname = "same"\n')
    write(os.path.join(inputs_dir, "same_name_b.toml"), '# another policy with the same name\n\n[policy]\nname = "same"\n')
    write(os.path.join(inputs_dir, "named_baseline.toml"), '[policy]\nname = "baseline"\n')


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
    with open(os.path.join(here, "94_whitespace_only.toml"), "w") as f:
        f.write("  \n\t\n\n")
    scenario_cases(here)
    policy_cases(here)
    sweep_cases(here)
    inputs(os.path.join(os.path.dirname(here), "inputs"))


# Cases whose message has no single line to point at (whole-file or graph-level findings).
NO_LINE = {"missing_scenario_table", "too_many_people", "deep_nesting", "zero_time_cycle"}

if __name__ == "__main__":
    main()
