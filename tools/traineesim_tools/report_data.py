"""What the HTML report reads from a results folder (a run, a comparison or a
sweep), shaped as per-run time series so that every figure can overlay the
baseline and the policies and show fans across runs.

Reads only the HDF5 contract (docs/OUTPUT.md) through the loaders in load.py,
plus two light readers for sweeps, where a report of a hundred runs must stay
under 10 s: the census and pools columns of a run file, read with h5py after
the same schema checks as load_run.
"""
import glob
import os
import re
import tomllib
from dataclasses import dataclass, field

import h5py
import numpy as np
import pandas as pd

from .load import RunFileError, check_folder, load_comparison, load_run, load_sweep, read_manifest

SCHEMA, SCHEMA_VERSION = "traineesim.run", 2
DAYS_PER_YEAR = 365.0


class BadResults(ValueError):
    """A results folder the report cannot use: one line, exit status 2."""


@dataclass
class Results:
    """What a results folder holds. kind: "run", "comparison" or "sweep".
    runs: variant -> sample -> run file paths, replication order (sample "" outside sweeps)."""
    folder: str
    kind: str
    runs: dict
    baseline: str
    comparison: pd.DataFrame = None
    comparison_attrs: dict = None
    sweep: dict = None
    replications: int = 0

    @property
    def variants(self):
        return [self.baseline] + [v for v in self.runs if v != self.baseline]

    @property
    def policies(self):
        return [v for v in self.variants if v != self.baseline]

    def first_file(self, variant=None):
        samples = self.runs[variant or self.baseline]
        return samples[next(iter(samples))][0]


def _replication(path):
    m = re.search(r"run_(\d+)\.h5$", path)
    return int(m.group(1)) if m else -1


def _run_files(folder):
    """The run files of a variant folder, checked to be one run (check_folder:
    a folder mixing runs raises RunFileError naming the files)."""
    if not glob.glob(os.path.join(folder, "run_*.h5")):
        return []
    _, files = check_folder(folder)
    return sorted((path for path, _ in files), key=_replication)


def _sweep_runs(folder, table):
    """variant -> sample -> files of the runs the sweep index calls done."""
    runs = {}
    done = table[table.status == "done"]
    for row in done.itertuples():
        runs.setdefault(row.variant, {}).setdefault(f"s{row.sample}", []).append(
            (row.replication, os.path.join(folder, row.file)))
    return {v: {s: [f for _, f in sorted(files)] for s, files in sorted(samples.items(), key=lambda kv: int(kv[0][1:]))}
            for v, samples in runs.items()}


def find_results(folder, variant=None):
    """The results in `folder`: a sweep (sweep.h5), a comparison (comparison.h5)
    or plain runs (variant folders of run_*.h5). Raises BadResults or RunFileError."""
    if not os.path.isdir(folder):
        raise BadResults(f"{folder}: no such folder")
    sweep_path = os.path.join(folder, "sweep.h5")
    if os.path.exists(sweep_path):
        sweep = load_sweep(sweep_path)
        runs = _sweep_runs(folder, sweep["runs"])
        if not runs:
            raise BadResults(f"{sweep_path}: no run is done")
        baseline = "baseline" if "baseline" in runs else sorted(runs)[0]
        reps = int(sweep["runs"].replication.max()) + 1
        return Results(folder, "sweep", runs, baseline, sweep=sweep, replications=reps)
    variants = sorted(d for d in os.listdir(folder) if os.path.isdir(os.path.join(folder, d)))
    if not variants:
        raise BadResults(f"no variant folders with run files under {folder}")
    runs = {v: {"": _run_files(os.path.join(folder, v))} for v in variants}
    runs = {v: s for v, s in runs.items() if s[""]}
    chosen = variant or ("baseline" if "baseline" in variants else variants[0])
    if chosen not in runs:
        raise BadResults(f"no run files for variant '{chosen}' under {folder}")
    cmp_path = os.path.join(folder, "comparison.h5")
    comparison = load_comparison(cmp_path) if os.path.exists(cmp_path) else None
    cmp_attrs = comparison_attributes(cmp_path) if comparison is not None else None
    if variant:
        runs = {variant: runs[variant]}
    kind = "comparison" if comparison is not None and len(runs) > 1 else "run"
    reps = min(len(s[""]) for s in runs.values())
    return Results(folder, kind, runs, chosen, comparison=comparison, comparison_attrs=cmp_attrs, replications=reps)


def comparison_attributes(path):
    """Root attributes of comparison.h5 (random_numbers: "common" or "independent"); the file was checked by
    load_comparison."""
    with h5py.File(path, "r") as f:
        return {k: _text(v) for k, v in f.attrs.items()}


# ---------------------------------------------------------------- run files

@dataclass
class RunSeries:
    """One run as time series: census totals by series name, pools by pool."""
    attrs: dict
    states: pd.DataFrame
    series: pd.DataFrame          # index period_end_day (days), columns series names
    pools: pd.DataFrame           # period_end_day, pool, capacity, demand, queue_length, granted
    persons: pd.DataFrame = None  # only for run and comparison reports
    scenario: str = ""
    attributes: dict = field(default_factory=dict)


def _text(v):
    return v.decode() if isinstance(v, bytes) else v


def _labels(g):
    names = g["name"][()] if "name" in g else g["label"][()]
    return dict(zip(g["code"][()].tolist(), [_text(n) for n in names]))


def _states_table(g):
    return pd.DataFrame({k: [_text(x) for x in g[k][()]] if g[k].dtype.kind == "O" else g[k][()] for k in g})


@dataclass
class Dictionaries:
    """What runs of one scenario (one scenario_sha256) share: read once per sweep variant and sample."""
    states: pd.DataFrame
    row_of_code: np.ndarray   # state code -> row of `states`
    pool_labels: dict
    scenario: str
    names: list = None
    matrix: np.ndarray = None


def _dictionaries(f):
    states = _states_table(f["dictionary/states"])
    row_of_code = np.zeros(int(states.code.max()) + 1, dtype=np.int64)
    row_of_code[states.code.to_numpy()] = np.arange(len(states))
    pools = _labels(f["dictionary/pools"]) if "dictionary/pools" in f else {}
    d = Dictionaries(states, row_of_code, pools, _text(f["scenario/resolved"][()]))
    d.names, d.matrix = series_names(states)
    return d


def read_light(path, cache):
    """Census and pools of a run file, for sweeps: the root attributes are
    checked as load_run does; the dictionaries and scenario text are read once
    per scenario_sha256 (`cache`). Returns attrs, Dictionaries, census columns
    (state codes), pools. A file that is not a readable run file raises RunFileError."""
    try:
        with h5py.File(path, "r") as f:
            attrs = {k: _text(v) for k, v in f.attrs.items()}
            if attrs.get("schema") != SCHEMA or int(attrs.get("schema_version", -1)) != SCHEMA_VERSION \
                    or int(attrs.get("complete", 0)) != 1:
                raise RunFileError(f"{path}: not a complete traineesim run file of schema version {SCHEMA_VERSION}")
            key = attrs.get("scenario_sha256")
            if key not in cache:
                cache[key] = _dictionaries(f)
            d = cache[key]
            c = f["census"]
            census = {k: c[k][()] for k in ("period_end_day", "state", "headcount", "fte")}
            pools = None
            if "pools" in f:
                p = f["pools"]
                pools = pd.DataFrame({k: p[k][()] for k in ("period", "pool", "capacity", "in_use", "queue_length",
                                                            "granted")})
                pools["pool"] = pools.pool.map(d.pool_labels)
    except (OSError, KeyError, IndexError) as e:
        raise RunFileError(f"{path}: cannot be read ({type(e).__name__}: {' '.join(str(e).split())})") from None
    return attrs, d, census, pools


GROUPS = ("qualified staff", "trainees", "unqualified staff", "vacancies being filled")


def _group_of(role, qualified):
    if role == "staff":
        return "qualified staff" if qualified else "unqualified staff"
    return {"trainee": "trainees", "vacancy": "vacancies being filled"}.get(role)


def series_names(states):
    """Series names and a (states x series) 0/1 matrix saying which states each sums."""
    names, cells = [], []
    for i, st in enumerate(states.itertuples(index=False)):
        group = _group_of(st.role, bool(st.qualified))
        if group is None:
            continue
        for key in ("all", st.profession) if st.profession else ("all",):
            cells.append((i, f"{group} {{}} [{key}]"))
    for _, n in cells:
        if n not in names:
            names.append(n)
    matrix = np.zeros((len(states), len(names)))
    for i, n in cells:
        matrix[i, names.index(n)] = 1.0
    return names, matrix


def _summed(days, period_index, state_rows, headcount, fte, n_states, names, matrix):
    """Census rows summed by (period, state), then into the series of `matrix`."""
    out = {}
    cells = period_index * n_states + state_rows
    for values, label in ((headcount, "headcount"), (fte, "FTE")):
        by_state = np.bincount(cells, weights=np.asarray(values, dtype=float),
                               minlength=len(days) * n_states).reshape(len(days), n_states)
        summed = by_state @ matrix
        for j, n in enumerate(names):
            out[n.format(label)] = summed[:, j]
    return pd.DataFrame(out, index=pd.Index(days, name="period_end_day"))


def series_of(census, states):
    """Per period end: qualified staff, unqualified staff, trainees and people in
    vacancy-role states (headcount and FTE), in total ("[all]") and by
    profession; from a census table whose `state` holds state names."""
    codes = {name: i for i, name in enumerate(states.name)}
    state_rows = census.state.astype(str).map(codes).to_numpy()
    days, period_index = np.unique(census.period_end_day.to_numpy(), return_inverse=True)
    names, matrix = series_names(states)
    return _summed(days, period_index, state_rows, census.headcount, census.fte, len(states), names, matrix)


def series_of_codes(census, d):
    """series_of for census columns whose states are codes (read_light)."""
    days, period_index = np.unique(census["period_end_day"], return_inverse=True)
    rows = d.row_of_code[census["state"]]
    return _summed(days, period_index, rows, census["headcount"], census["fte"], len(d.states), d.names, d.matrix)


def pool_series(pools, census_days):
    """Pools by period end day: capacity, demand (in use + waiting), queue."""
    if pools is None or not len(pools):
        return pd.DataFrame(columns=["period_end_day", "pool", "capacity", "demand", "queue_length", "granted"])
    p = pools.copy()
    p["pool"] = p.pool.astype(str)
    p["period_end_day"] = np.asarray(census_days)[p.period.to_numpy()]
    p["demand"] = p.in_use + p.queue_length
    return p[["period_end_day", "pool", "capacity", "demand", "queue_length", "granted"]]


def census_days(census):
    return np.sort(census.period_end_day.unique())


def read_run(path, light=False, cache=None):
    """One run file as RunSeries; `light` reads census and pools only (sweeps),
    sharing dictionaries between runs of one scenario through `cache`."""
    if light:
        attrs, d, census, pools = read_light(path, {} if cache is None else cache)
        series = series_of_codes(census, d)
        return RunSeries(attrs, d.states, series, pool_series(pools, series.index.to_numpy()), scenario=d.scenario)
    run = load_run(path)
    if "census" not in run.tables:
        raise BadResults(f"{path}: written without a census; the report needs --record census or full")
    states = run.dictionaries["states"]
    census = run.census
    pools = run.pools.copy() if "pools" in run.tables else None
    persons = run.persons if "persons" in run.tables else None
    return RunSeries(run.attrs, states, series_of(census, states), pool_series(pools, census_days(census)),
                     persons=persons, scenario=run.scenario, attributes=run.dictionaries["attributes"])


def read_all(results):
    """variant -> sample -> [RunSeries], replication order."""
    light, cache = results.kind == "sweep", {}
    return {v: {s: [read_run(f, light, cache) for f in files] for s, files in samples.items()}
            for v, samples in results.runs.items()}


# ------------------------------------------------------------- time series

def dates_of(attrs, days):
    start = pd.Timestamp(attrs["start_date"])
    return [start + pd.Timedelta(days=float(d)) for d in days]


def stack(runs, column):
    """A (runs x periods) array of one series; columns a run lacks count 0."""
    return np.stack([r.series[column].to_numpy() if column in r.series else np.zeros(len(r.series)) for r in runs])


def fan(values):
    """5/50/95% and mean across runs (axis 0)."""
    return {"p5": np.percentile(values, 5, axis=0), "p50": np.percentile(values, 50, axis=0),
            "p95": np.percentile(values, 95, axis=0), "mean": values.mean(axis=0)}


def paired_interval(differences):
    """Mean of paired differences (runs x periods) and its 95% Student t interval."""
    from scipy import stats
    n = differences.shape[0]
    mean = differences.mean(axis=0)
    if n < 2:
        return mean, mean * np.nan, mean * np.nan
    half = stats.t.ppf(0.975, n - 1) * differences.std(axis=0, ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half


# ------------------------------------------------------------ the policies

def scenario_table(text):
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}


def _modifier_key(m):
    return m.get("name", repr(sorted(m.items())))


@dataclass
class PolicyChanges:
    """What a policy changed in the resolved scenario: parameters (name ->
    (baseline, policy)), modifiers added, pools changed."""
    parameters: dict
    modifiers: list
    pools: dict


def policy_changes(baseline_text, policy_text):
    base, pol = scenario_table(baseline_text), scenario_table(policy_text)
    bp, pp = base.get("parameters", {}), pol.get("parameters", {})
    params = {k: (bp.get(k), v) for k, v in pp.items() if bp.get(k) != v}
    base_mods = {_modifier_key(m) for m in base.get("modifiers", [])}
    mods = [m for m in pol.get("modifiers", []) if _modifier_key(m) not in base_mods]
    pools = {}
    for name, spec in pol.get("pools", {}).items():
        before = base.get("pools", {}).get(name, {})
        changed = {k: v for k, v in spec.items() if before.get(k) != v}
        if changed:
            pools[name] = changed
    return PolicyChanges(params, mods, pools)


def _policy_table(data):
    policy = dict(data.get("policy", {}))
    policy["parameters"] = data.get("parameters", {})
    return policy


def _policy_from_text(text, where, name):
    try:
        return _policy_table(tomllib.loads(text))
    except tomllib.TOMLDecodeError as e:
        raise BadResults(f"{where}: policy_text.{name} is not TOML ({' '.join(str(e).split())})") from None


def _policies_in_sweep(path):
    found = {}
    with h5py.File(path, "r") as f:
        if "policy_texts" not in f:
            return found
        g = f["policy_texts"]
        for name, text in zip(g["policy"][:], g["text"][:]):
            name = _text(name)
            found.setdefault(name, _policy_from_text(_text(text), path, name))
    return found


def policies_in_manifests(results):
    """{name: policy table} as the results folder kept them: compare and run
    write each policy's text as applied under [policy_text] in the variant
    folders' manifest.toml, a sweep in sweep.h5's /policy_texts; so the report
    needs no policy file. Raises BadResults on a text that is not TOML."""
    if results.kind == "sweep":
        return _policies_in_sweep(os.path.join(results.folder, "sweep.h5"))
    found = {}
    for samples in results.runs.values():
        for paths in samples.values():
            manifest = read_manifest(os.path.dirname(paths[0])) if paths else None
            where = os.path.join(os.path.dirname(paths[0]), "manifest.toml")
            for name, text in ((manifest or {}).get("policy_text") or {}).items():
                found.setdefault(name, _policy_from_text(text, where, name))
    return found


def read_policy_file(path):
    """The [policy] table of a policy TOML (name, description, effective,
    sources, cost_once, cost_per_year) and its [parameters]."""
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise BadResults(f"{path}: cannot be read as a policy ({' '.join(str(e).split())})") from None
    return _policy_table(data)


def policies_with_files(as_run, present, paths, warn):
    """{name: policy table}: the texts as run (`as_run`), with a --policy file
    only for a policy run but whose text the folder did not keep (older
    results). `present`: the policy names the folder holds. A file for a
    policy not in the folder raises BadResults naming it and those present;
    one whose [policy]/[parameters] differ from the text as run is reported
    through warn(line) and the text as run is used: that is what the numbers
    come from."""
    policies = dict(as_run)
    names = sorted(set(present) | set(as_run))
    for path in paths:
        spec = read_policy_file(path)
        name = spec.get("name", os.path.splitext(os.path.basename(path))[0])
        if name not in names:
            raise BadResults(f"{path}: policy {name!r} is not in this results folder (its policies: "
                             f"{', '.join(names) or 'none'})")
        if name not in as_run:
            policies[name] = spec
        elif spec != as_run[name]:
            warn(f"{path}: differs from policy {name!r} as run; the report uses the text as run "
                 "(kept in the results folder)")
    return policies


# ------------------------------------------------------- comparison table

def indicator(comparison, name, policy):
    """One row of the comparison table as a dict, or None."""
    rows = comparison[(comparison.indicator == name) & (comparison.policy == policy)]
    return None if rows.empty else rows.iloc[0].to_dict()


def indicators_like(comparison, pattern, policy):
    """Rows whose indicator matches the regular expression, with its groups as columns."""
    rx = re.compile(pattern)
    rows = []
    for row in comparison[comparison.policy == policy].itertuples(index=False):
        m = rx.fullmatch(row.indicator)
        if m:
            rows.append({**row._asdict(), **m.groupdict()})
    return pd.DataFrame(rows)


def currency(comparison):
    """The currency of the cost indicators of a table with an `indicator`
    column (comparison.h5, or sweep.h5's indicators), or None."""
    if comparison is None:
        return None
    for name in comparison.indicator.unique():
        m = re.fullmatch(r"total cost \((.+)\)", name)
        if m:
            return m.group(1)
    return None


def sweep_indicators(results):
    """sweep.h5's per-run indicators (variant, sample, replication, indicator,
    value), or None for an index written before they were kept (schema 1)."""
    return (results.sweep or {}).get("indicators")


def sweep_indicator_names(results, pattern):
    """The per-run indicator names matching `pattern` (a regular expression, whole name), in first-seen order."""
    ind = sweep_indicators(results)
    if ind is None:
        return []
    return [n for n in pd.unique(ind.indicator) if re.fullmatch(pattern, n)]


def sweep_runs_of(results, variant, indicator):
    """(sample, replication) -> value of `indicator` in each done run of `variant`; NaN where undefined."""
    ind = sweep_indicators(results)
    rows = ind[(ind.variant == variant) & (ind.indicator == indicator)]
    return rows.set_index(["sample", "replication"]).value


def sweep_paired_runs(results, policy, indicator):
    """Per paired run (same sample and replication, both done), policy minus
    baseline of `indicator`: a Series indexed by (sample, replication)."""
    p = sweep_runs_of(results, policy, indicator)
    b = sweep_runs_of(results, results.baseline, indicator)
    both = p.index.intersection(b.index)
    return (p.loc[both] - b.loc[both]).sort_index()


def sweep_paired_rows(results, policy, indicator):
    """sweep.h5's /indicators_paired rows of one policy and indicator, one per sample (empty if none)."""
    t = (results.sweep or {}).get("indicators_paired")
    if t is None:
        return None
    return t[(t.variant == policy) & (t.indicator == indicator)].sort_values("sample")


def sweep_parameters(results):
    """sample -> {parameter: value} from the sweep index's /samples table."""
    samples = results.sweep["samples"]
    params = [c for c in samples.columns if c != "sample"]
    return samples.set_index("sample")[params]


# ------------------------------------------------------------ PSA and sensitivity (text outputs)

PSA_RUN_COLUMNS = ("draw", "replication", "baseline_fte", "policy_fte", "fte_difference", "baseline_cost",
                   "policy_cost", "cost_difference")
PSA_OUTCOMES = PSA_RUN_COLUMNS[2:]


@dataclass
class Psa:
    """`traineesim psa` output: runs (one row per paired run), acceptability
    (threshold, probability_cost_effective), the policy's name, and the
    uncertain parameters (columns of runs between replication and baseline_fte)."""
    folder: str
    runs: pd.DataFrame
    acceptability: pd.DataFrame
    policy: str
    parameters: list

    @property
    def draws(self):
        return int(self.runs.draw.nunique())

    @property
    def replications(self):
        return int(self.runs.groupby("draw").size().min())


@dataclass
class Sensitivity:
    """sensitivity.py output: Sobol indices and the one-at-a-time tornado, and/or
    Morris screening (--morris); a part the folder lacks is None."""
    folder: str
    sobol: pd.DataFrame = None
    tornado: pd.DataFrame = None
    morris: pd.DataFrame = None


def _csv(path, columns):
    """A CSV with at least `columns` and one row; BadResults naming the file otherwise."""
    if not os.path.isfile(path):
        raise BadResults(f"{path}: not found")
    try:
        df = pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError) as e:
        raise BadResults(f"{path}: cannot be read as CSV ({str(e).splitlines()[0] if str(e) else type(e).__name__})") \
            from None
    missing = [c for c in columns if c not in df.columns]
    if missing or df.empty:
        raise BadResults(f"{path}: " + (f"lacks column(s) {', '.join(missing)}" if missing else "has no rows"))
    for c in columns:
        if c not in ("output", "parameter") and not pd.api.types.is_numeric_dtype(df[c]):
            raise BadResults(f"{path}: column {c} is not numeric")
    return df


def read_psa(folder):
    """A `traineesim psa` output folder (psa_runs.csv, psa_acceptability.csv,
    psa_summary.txt). Raises BadResults naming the file it cannot use."""
    runs = _csv(os.path.join(folder, "psa_runs.csv"), PSA_RUN_COLUMNS)
    acc = _csv(os.path.join(folder, "psa_acceptability.csv"), ("threshold", "probability_cost_effective"))
    summary = os.path.join(folder, "psa_summary.txt")
    try:
        with open(summary, encoding="utf-8") as f:
            m = re.search(r"policy '([^']+)'", f.readline())
    except (OSError, UnicodeDecodeError) as e:
        raise BadResults(f"{summary}: cannot be read ({e.__class__.__name__})") from None
    if not m:
        raise BadResults(f"{summary}: not a traineesim psa summary (no policy named on its first line)")
    first, last = list(runs.columns).index("replication"), list(runs.columns).index("baseline_fte")
    return Psa(folder, runs, acc, m.group(1), list(runs.columns[first + 1:last]))


def read_sensitivity(folder):
    """sensitivity.py's output folder: sobol_indices.csv with tornado.csv, and/or
    morris.csv (sensitivity.py --morris). Raises BadResults naming what is missing or bad."""
    out = Sensitivity(folder)
    morris = os.path.join(folder, "morris.csv")
    if os.path.exists(morris):
        out.morris = _csv(morris, ("output", "parameter", "mu", "mu_star", "mu_star_low", "mu_star_high", "sigma"))
    if out.morris is None or os.path.exists(os.path.join(folder, "sobol_indices.csv")):
        out.sobol = _csv(os.path.join(folder, "sobol_indices.csv"), ("output", "parameter", "first", "first_low",
                                                                      "first_high", "total", "total_low",
                                                                      "total_high"))
        out.tornado = _csv(os.path.join(folder, "tornado.csv"), ("output", "parameter", "output_at_medians",
                                                                "output_low", "output_high", "swing"))
    return out


def variance_split(runs, column):
    """Share of one run's variance of `column` due to the parameters: one-way
    random-effects ANOVA over draws (law of total variance), as psa_summary.txt
    computes it (sim/batch/psa.cpp split_variance): within = mean within-draw
    variance; between = max(0, (R x variance of draw means - within) / R).
    NaN with fewer than 2 draws or 2 replications, or unequal replications."""
    groups = runs.groupby("draw")[column]
    sizes = groups.size()
    r = int(sizes.iloc[0]) if len(sizes) else 0
    if len(sizes) < 2 or r < 2 or (sizes != r).any():
        return float("nan")
    within = float(groups.var(ddof=1).mean())
    between = max(0.0, (r * float(groups.mean().var(ddof=1)) - within) / r)
    return between / (between + within) if between + within > 0 else float("nan")
