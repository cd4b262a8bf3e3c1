"""Load traineesim files into pandas DataFrames, labels applied.

    from traineesim_tools import load_run
    run = load_run("results/cyp-psychological-professions/baseline/run_0.h5")
    run.census.groupby(["period_end_day", "state"]).headcount.sum()

Needs h5py and pandas (Debian: python3-h5py python3-pandas; elsewhere
`pip install -r tools/requirements.txt`). Depends only on docs/OUTPUT.md:
every column says what its values are (its `role` attribute) and which
dictionary labels its codes, so nothing here knows column names.

A results folder (docs/OUTPUT.md, "Results folders") holds one run:
`load_folder(dir)` loads every run file of a variant folder after checking
that their root attributes agree with each other and with the folder's
manifest.toml, and refuses a folder that mixes runs, naming the files.

Every column of role `day` gets an ISO date beside it: `<name>_date` for
`<name>_day`, `date` for `day` (datetime64, start_date + whole days; NaT
where the day is NaN). /census is completed with a zero row for every
(period, state, census attribute levels) cell it does not hold.

A file that is not what the contract says (empty, text, truncated, another
HDF5 file, another schema version, a damaged chunk, a column without its
role, a code outside its dictionary) raises RunFileError, a ValueError whose
message is one line naming the file and what is wrong.
"""
import itertools
import os
import re
import tomllib
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field

import h5py
import numpy as np
import pandas as pd

SCHEMA = "traineesim.run"
SCHEMA_VERSION = 2
SWEEP_SCHEMA, SWEEP_SCHEMA_VERSION = "traineesim.sweep", (1, 2)  # 2 added dictionaries, runs_census, indicators
COMPARISON_SCHEMA, COMPARISON_SCHEMA_VERSION = "traineesim.comparison", 1
TABLES = ("persons", "events", "census", "flows", "pools")
SWEEP_TABLES = ("runs", "samples", "aggregate", "aggregate_paired")
SWEEP_TABLES_2 = ("runs_census", "indicators", "indicator_names", "indicators_paired")  # schema_version 2
# Their columns in the order docs/OUTPUT.md lists them (HDF5 lists a group's members by name).
SWEEP_COLUMNS_2 = {
    "runs_census": ("run_index", "period", "period_end_day", "state", "headcount", "fte"),
    "indicators": ("run_index", "indicator", "value"),
    "indicator_names": ("code", "name"),
    "indicators_paired": ("variant", "sample", "indicator", "baseline_mean", "policy_mean", "difference", "ci_low",
                          "ci_high", "half_width_paired", "half_width_unpaired", "replications"),
}
ROLES = {"value", "day", "period", "person", "state", "event", "route", "pool", "attribute", "flag"}
# Labels of the codes that are not in a dictionary (docs/OUTPUT.md).
MISSING_LABEL = {"route": "initial_stock"}
# Roles whose -1 means "none" rather than a code (docs/OUTPUT.md, "Column roles").
NONE_CODE = {"state", "route"}


class RunFileError(ValueError):
    """A traineesim file that cannot be read as docs/OUTPUT.md says: the
    message is one line, "<path>: <what is wrong>"."""


class _Problem(Exception):
    """What is wrong inside an open file; RunFileError adds the file's name."""


@dataclass
class Run:
    attrs: dict
    scenario: str
    dictionaries: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)
    roles: dict = field(default_factory=dict)  # table -> {column: (role, dictionary path)}

    def __getattr__(self, name):
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)


def _text(v):
    return v.decode() if isinstance(v, bytes) else v


def _decode(values):
    return [_text(v) for v in values]


def _one_line(e):
    return " ".join(str(e).split())


def _shown(value, limit=40):
    """Text read from a file, fit for a one-line message (control characters escaped)."""
    text = str(value).encode("unicode_escape").decode("ascii")
    return text if len(text) <= limit else text[:limit] + "..."


def _open_failure(message):
    """Why h5py could not open a file, in a few words."""
    m = re.search(r"truncated file: eof = (\d+).*stored_eof = (\d+)", message)
    if m:
        return f"truncated ({m.group(1)} of {m.group(2)} bytes)"
    return f"HDF5 cannot open it ({_one_line(message)})"


@contextmanager
def _opened(path):
    """The file open read-only; every failure, on opening or while reading, becomes RunFileError."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise RunFileError(f"{path}: no such file")
    if os.path.isdir(path):
        raise RunFileError(f"{path}: a folder, not a file")
    if os.path.getsize(path) == 0:
        raise RunFileError(f"{path}: empty file (0 bytes)")
    if not h5py.is_hdf5(path):
        raise RunFileError(f"{path}: not an HDF5 file")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise RunFileError(f"{path}: {_open_failure(str(e))}") from None
    with f:
        try:
            yield f
        except _Problem as e:
            raise RunFileError(f"{path}: {e}") from None
        except Exception as e:  # whatever h5py or numpy make of a damaged file (OSError, KeyError, MemoryError, ...)
            raise RunFileError(f"{path}: cannot be read ({type(e).__name__}: {_one_line(e)})") from None


def _check_schema(f, schema, version, what):
    attrs = {k: _text(v) for k, v in f.attrs.items()}
    found = attrs.get("schema")
    if found != schema:
        raise _Problem(f"not a {what} (schema '{_shown(found)}')" if found else f"not a {what} (no schema attribute)")
    try:
        found_version = int(attrs.get("schema_version"))
    except (TypeError, ValueError, OverflowError):
        raise _Problem("no schema_version attribute") from None
    versions = version if isinstance(version, tuple) else (version,)
    if found_version not in versions:
        raise _Problem(f"schema version {found_version}, this loader reads {' or '.join(map(str, versions))}")
    if attrs.get("complete") is None or int(attrs["complete"]) != 1:
        raise _Problem("incomplete file (no complete = 1)")
    return attrs


def _group(f, path, what="group"):
    g = f.get(path)
    if not isinstance(g, h5py.Group):
        where = f"{f.name.rstrip('/')}/{path.strip('/')}" if not path.startswith("/") else path
        raise _Problem(f"{what} {where} is missing" if what == "dictionary" else f"no {where} {what}")
    return g


def _column(ds):
    """A dataset's values (strings decoded)."""
    if not isinstance(ds, h5py.Dataset) or ds.ndim != 1:
        raise _Problem(f"{ds.name} is not a column")
    if ds.chunks and len(ds):
        # Every chunk the extent covers is stored: a damaged extent is refused before memory is set aside for it.
        needed, stored = (len(ds) - 1) // ds.chunks[0] + 1, ds.id.get_num_chunks()
        if stored < needed:
            raise _Problem(f"{ds.name} claims {len(ds)} rows but stores {stored} of their {needed} chunks")
    try:
        values = ds[()]
    except OSError as e:
        raise _Problem(f"{ds.name} cannot be read (damaged: {_one_line(e)})") from None
    return _decode(values) if ds.dtype.kind == "O" else values


def _table(group):
    """A group of equal-length 1-D datasets as a DataFrame."""
    columns = {k: _column(group[k]) for k in group}
    lengths = {k: len(v) for k, v in columns.items()}
    if len(set(lengths.values())) > 1:
        sizes = ", ".join(f"{k} {n}" for k, n in sorted(lengths.items()))
        raise _Problem(f"{group.name}: columns of different lengths ({sizes})")
    return pd.DataFrame(columns)


def _roles(f, group):
    """column -> (role, dictionary path) of a table, each checked against the contract."""
    roles = {}
    for k, ds in group.items():
        where = f"{group.name}/{k}"
        role = _text(ds.attrs.get("role"))
        if role is None:
            raise _Problem(f"{where} has no role attribute")
        if role not in ROLES:
            raise _Problem(f"{where} has role '{_shown(role)}', which this loader does not know")
        dictionary = _text(ds.attrs.get("dictionary", ""))
        if role in ("state", "event", "route", "pool", "attribute"):
            if not dictionary:
                raise _Problem(f"{where} has no dictionary attribute")
            if not isinstance(f.get(dictionary), h5py.Group):
                raise _Problem(f"{where}: its dictionary {_shown(dictionary)} is missing")
        roles[k] = (role, dictionary)
    return roles


def _dictionary_labels(f, path):
    """code -> label of a dictionary group (its `name` column, or `label` for attributes)."""
    g = _group(f, path, "dictionary")
    if "code" not in g:
        raise _Problem(f"dictionary {path} has no code column")
    if "name" not in g and "label" not in g:
        raise _Problem(f"dictionary {path} has no name or label column")
    codes = _column(g["code"])
    labels = _column(g["name"] if "name" in g else g["label"])
    if len(codes) != len(labels):
        raise _Problem(f"dictionary {path}: code and label columns of different lengths")
    return dict(zip(np.asarray(codes).tolist(), labels))


def _check_codes(table, df, roles, dictionaries):
    """Every code lies in its dictionary (or is -1 where the role allows it)."""
    for col, (role, dictionary) in roles.items():
        if not dictionary:
            continue
        allowed = list(dictionaries[dictionary]) + ([-1] if role in NONE_CODE else [])
        values = df[col].to_numpy()
        bad = np.flatnonzero(~np.isin(values, allowed))
        if len(bad):
            row = int(bad[0])
            raise _Problem(f"/{table}/{col} row {row}: code {values[row]} is not in {dictionary}")


def load_run(path, labels=True):
    """Every table of a run file as DataFrames; codes replaced by labels when `labels`.
    Raises RunFileError (a ValueError) naming the file if it is not a readable run file."""
    with _opened(path) as f:
        attrs = _check_schema(f, SCHEMA, SCHEMA_VERSION, "traineesim run file")
        if not isinstance(f.get("scenario/resolved"), h5py.Dataset):
            raise _Problem("no /scenario/resolved")
        run = Run(attrs=attrs, scenario=_text(f["scenario/resolved"][()]))
        d = _group(f, "dictionary")
        for name in ("states", "events", "routes", "pools"):
            run.dictionaries[name] = _table(_group(f, f"dictionary/{name}", "dictionary"))
        run.dictionaries["attributes"] = {a: _table(g) for a, g in _group(d, "attributes").items()}
        dictionaries = {}
        for name in TABLES:
            if name not in f:
                continue
            run.tables[name] = _table(_group(f, name, "table"))
            run.roles[name] = _roles(f, f[name])
            for _, dictionary in run.roles[name].values():
                if dictionary and dictionary not in dictionaries:
                    dictionaries[dictionary] = _dictionary_labels(f, dictionary)
            _check_codes(name, run.tables[name], run.roles[name], dictionaries)
    _complete_census(run, dictionaries)
    if labels:
        _apply_labels(run, dictionaries)
    _add_dates(run)
    return run


def _date_name(column):
    """The name of a day column's date column: entry_day -> entry_date, day -> date."""
    return column[: -len("day")] + "date" if column == "day" or column.endswith("_day") else column + "_date"


# Days whose dates datetime64[ns] holds comfortably (about 270 years either way); beyond, NaT.
_MAX_DATE_DAYS = 100_000


def dates_of_days(start_date, days):
    """datetime64[ns] dates of float64 days since `start_date` ("YYYY-MM-DD"):
    start_date + floor(day); NaT where the day is NaN (or beyond +-100,000 days)."""
    days = np.asarray(days, dtype=np.float64)
    usable = np.isfinite(days) & (np.abs(days) <= _MAX_DATE_DAYS)
    whole = np.where(usable, np.floor(np.where(usable, days, 0)), 0).astype(np.int64)
    dates = (np.datetime64(start_date, "D") + whole.astype("timedelta64[D]")).astype("datetime64[ns]")
    dates[~usable] = np.datetime64("NaT")
    return dates


def _add_dates(run):
    """Beside every column of role `day`, its calendar date (docs/OUTPUT.md, "Dates in the loaders")."""
    start = _text(run.attrs.get("start_date"))
    try:
        np.datetime64(start, "D")
    except (TypeError, ValueError):
        raise RunFileError(f"start_date '{_shown(start)}' is not a date") from None
    for name, df in run.tables.items():
        for col, (role, _) in list(run.roles[name].items()):
            if role == "day":
                df.insert(df.columns.get_loc(col) + 1, _date_name(col), dates_of_days(start, df[col]))


def _complete_census(run, dictionaries):
    """Adds a zero row (headcount 0, fte 0.0) for every cell of /census that is
    not there: every period, every state and every level of each census
    attribute, so a time series starts at the start even for a cell with
    nobody in it. The writer writes zero rows already (schema_version 2); this
    keeps the loaders' answer the same for a file that omits them."""
    df = run.tables.get("census")
    if df is None or df.empty:
        return
    roles = run.roles["census"]
    keys = [c for c, (role, d) in roles.items() if d and c != "period"]
    periods = df[["period", "period_end_day"]].drop_duplicates().sort_values("period")
    levels = [sorted(dictionaries[roles[c][1]]) + ([-1] if roles[c][0] == "route" else []) for c in keys]
    cells = len(periods) * int(np.prod([len(v) for v in levels]))
    if cells == len(df) or cells > 50_000_000:  # complete already, or too many cells to spell out
        return
    grid = pd.DataFrame(list(itertools.product(*levels)), columns=keys)
    grid = periods.merge(grid, how="cross")
    merged = grid.merge(df, on=["period", "period_end_day", *keys], how="left")
    for col in keys:
        merged[col] = merged[col].astype(df[col].dtype)
    for col, (role, _) in roles.items():
        if col in merged and merged[col].isna().any() and role == "value":
            merged[col] = merged[col].fillna(0).astype(df[col].dtype)
    run.tables["census"] = merged[list(df.columns)].sort_values(["period", *keys], kind="stable").reset_index(drop=True)


def _apply_labels(run, dictionaries):
    for name, df in run.tables.items():
        for col, (role, dictionary) in run.roles[name].items():
            if not dictionary:
                continue
            codes = dictionaries[dictionary]
            mapping = dict(codes)
            if role in MISSING_LABEL:
                mapping[-1] = MISSING_LABEL[role]
            categories = list(codes.values()) + ([MISSING_LABEL[role]] if role in MISSING_LABEL else [])
            df[col] = pd.Categorical(df[col].map(mapping), categories=categories)


def census_by_label(run, by="state"):
    """Headcount per census period end (rows) and `by` (columns)."""
    c = run.census
    return c.groupby(["period_end_day", by], observed=True).headcount.sum().unstack(fill_value=0).astype(np.int64)


def _sweep_dictionaries(f):
    """variant -> its dictionaries, as Run.dictionaries holds a run file's
    (states, events, routes, pools: DataFrames; attributes: name -> DataFrame),
    plus start_date."""
    out = {}
    for variant, g in _group(f, "dictionary", "group").items():
        d = {name: _table(_group(g, name, "dictionary")) for name in ("states", "events", "routes", "pools")}
        d["attributes"] = {a: _table(t) for a, t in _group(g, "attributes", "dictionary").items()}
        d["start_date"] = _text(g.attrs.get("start_date"))
        try:
            np.datetime64(d["start_date"], "D")
        except (TypeError, ValueError):
            raise _Problem(f"/dictionary/{variant}: start_date '{_shown(d['start_date'])}' is not a date") from None
        out[variant] = d
    return out


def _named_indicators(tables):
    """/indicators with its codes named (/indicator_names) and each run's
    variant, sample and replication (/runs): run_index, variant, sample,
    replication, indicator, value."""
    ind, names = tables["indicators"], tables.pop("indicator_names")
    where = pd.Index(names["code"]).get_indexer(ind["indicator"])
    if (where < 0).any():
        raise _Problem(f"/indicators/indicator: code {int(ind['indicator'][where < 0].iloc[0])} is not in "
                       "/indicator_names")
    runs = tables["runs"].set_index("run_index").reindex(ind["run_index"])
    if runs["variant"].isna().any():
        raise _Problem("/indicators/run_index: a run that /runs does not list")
    return pd.DataFrame({
        "run_index": ind["run_index"].to_numpy(),
        "variant": runs["variant"].to_numpy(),
        "sample": runs["sample"].to_numpy(),
        "replication": runs["replication"].to_numpy(),
        "indicator": names["name"].to_numpy()[where],
        "value": ind["value"].to_numpy(),
    })


def _variant_of_rows(tables, name):
    """The variant of each row of a table keyed by variant or by run_index."""
    df = tables[name]
    if "variant" in df:
        return df["variant"].to_numpy()
    runs = tables["runs"].set_index("run_index")["variant"]
    return runs.reindex(df["run_index"]).to_numpy()


def _label_sweep_states(tables, dictionaries, name):
    """Replaces a table's state codes by the state names of each row's variant
    (a Categorical over every variant's names, the baseline's first), adds
    profession, band and role for /runs_census, and period_end_date beside
    period_end_day."""
    df = tables[name]
    variants = _variant_of_rows(tables, name)
    names, seen = [], set()
    for d in dictionaries.values():
        for n in d["states"]["name"]:
            if n not in seen:
                seen.add(n)
                names.append(n)
    labels = np.empty(len(df), dtype=object)
    dates = np.full(len(df), np.datetime64("NaT"), dtype="datetime64[ns]")
    extra = {k: np.empty(len(df), dtype=object) for k in ("profession", "role")}
    band = np.zeros(len(df), dtype=np.int32)
    codes = df["state"].to_numpy()
    for variant in pd.unique(variants):
        rows = variants == variant
        if variant not in dictionaries:
            raise _Problem(f"/{name}: variant '{_shown(variant)}' has no /dictionary/{_shown(variant)}")
        states = dictionaries[variant]["states"]
        where = pd.Index(states["code"]).get_indexer(codes[rows])
        if (where < 0).any():
            bad = int(codes[rows][where < 0][0])
            raise _Problem(f"/{name}/state: code {bad} is not in /dictionary/{variant}/states")
        labels[rows] = states["name"].to_numpy()[where]
        for k in extra:
            extra[k][rows] = states[k].to_numpy()[where]
        band[rows] = states["band"].to_numpy()[where]
        dates[rows] = dates_of_days(dictionaries[variant]["start_date"], df["period_end_day"].to_numpy()[rows])
    df["state"] = pd.Categorical(labels, categories=names)
    df.insert(df.columns.get_loc("period_end_day") + 1, "period_end_date", dates)
    if name == "runs_census":
        at = df.columns.get_loc("state") + 1
        df.insert(at, "role", pd.Categorical(extra["role"]))
        df.insert(at, "band", band)
        df.insert(at, "profession", pd.Categorical(extra["profession"]))


def load_sweep(path, labels=True):
    """The tables of a sweep index (sweep.h5) as DataFrames: runs, samples,
    aggregate, aggregate_paired; from schema_version 2 also dictionaries
    (variant -> the run files' dictionaries: states, events, routes, pools,
    attributes, start_date), runs_census (per done run, census by period and
    state, attributes summed, zero cells included), indicators (per done run)
    and indicators_paired (per policy variant and sample, comparison.csv's
    columns). Version 2 needs no run file: with `labels`, the state codes of
    aggregate, aggregate_paired and runs_census become the state names of each
    row's variant (runs_census gains profession, band and role), and
    period_end_date is added beside period_end_day. NaN where undefined.
    `path` may be the sweep's folder (its sweep.h5 is read), as for load_results.
    Raises RunFileError (a ValueError) naming the file if it is not a readable sweep index."""
    if os.path.isdir(path) and os.path.exists(os.path.join(path, "sweep.h5")):
        path = os.path.join(path, "sweep.h5")
    with _opened(path) as f:
        attrs = _check_schema(f, SWEEP_SCHEMA, SWEEP_SCHEMA_VERSION, "traineesim sweep index")
        names = SWEEP_TABLES + (SWEEP_TABLES_2 if int(attrs["schema_version"]) >= 2 else ())
        tables = {name: _table(_group(f, name, "table")) for name in names}
        for name, columns in SWEEP_COLUMNS_2.items():
            if name in tables:
                missing = [c for c in columns if c not in tables[name]]
                if missing:
                    raise _Problem(f"/{name} has no column {missing[0]}")
                tables[name] = tables[name][list(columns)]
        if int(attrs["schema_version"]) >= 2:
            tables["indicators"] = _named_indicators(tables)
            tables["dictionaries"] = _sweep_dictionaries(f)
            if labels:
                for name in ("aggregate", "aggregate_paired", "runs_census"):
                    _label_sweep_states(tables, tables["dictionaries"], name)
        return tables


COMPARISON_COLUMNS = ("indicator", "policy", "baseline_mean", "policy_mean", "difference", "ci_low", "ci_high",
                      "half_width_paired", "half_width_unpaired", "replications", "same_as_baseline")


def _comparison_csv(path):
    try:
        df = pd.read_csv(path, dtype={"indicator": str, "policy": str}, keep_default_na=False,
                         na_values={c: [""] for c in COMPARISON_COLUMNS[2:-1]})
    except (OSError, ValueError, pd.errors.ParserError) as e:
        raise RunFileError(f"{path}: cannot be read as CSV ({_one_line(e)})") from None
    if tuple(df.columns) != COMPARISON_COLUMNS:
        raise RunFileError(f"{path}: not a traineesim comparison.csv (columns {_shown(','.join(df.columns), 80)})")
    return df


def load_comparison(path):
    """The comparison indicators as a DataFrame (indicator, policy,
    baseline_mean, policy_mean, difference, ci_low, ci_high,
    half_width_paired, half_width_unpaired, replications, same_as_baseline
    (1: the policy resolved to the baseline's scenario); NaN where a row has
    no value). `path`: a compare output folder (its comparison.csv, else its
    comparison.h5), a comparison.csv, or a comparison.h5 (its /comparison
    table). Raises RunFileError (a ValueError) naming the file if it is not a
    readable comparison file."""
    path = os.fspath(path)
    if os.path.isdir(path):
        csv = os.path.join(path, "comparison.csv")
        path = csv if os.path.exists(csv) else os.path.join(path, "comparison.h5")
    if path.endswith(".csv"):
        return _comparison_csv(path)
    with _opened(path) as f:
        _check_schema(f, COMPARISON_SCHEMA, COMPARISON_SCHEMA_VERSION, "traineesim comparison file")
        return _table(_group(f, "comparison", "table"))


# --- Results folders (docs/OUTPUT.md, "Results folders") ---------------------------------------------

MANIFEST = "manifest.toml"
MANIFEST_SCHEMA, MANIFEST_SCHEMA_VERSION = "traineesim.manifest", 1
# Root attributes that every run file of one run shares, and the manifest key saying each.
RUN_KEYS = {"scenario_sha256": "scenario_sha256", "master_seed": "master_seed", "record_level": "record_level"}
_RUN_FILE = re.compile(r"run_(0|[1-9][0-9]*)\.h5")


def read_manifest(folder):
    """The manifest.toml of a variant folder as a dict, or None when there is none.
    Raises RunFileError naming the manifest when it cannot be read."""
    path = os.path.join(os.fspath(folder), MANIFEST)
    if not os.path.lexists(path):
        return None
    try:
        with open(path, "rb") as f:
            m = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise RunFileError(f"{path}: cannot be read ({_one_line(e)})") from None
    if m.get("schema") != MANIFEST_SCHEMA:
        raise RunFileError(f"{path}: not a traineesim manifest (schema '{_shown(m.get('schema'))}')")
    if m.get("schema_version") != MANIFEST_SCHEMA_VERSION:
        raise RunFileError(f"{path}: schema version {_shown(m.get('schema_version'))}, this loader reads "
                           f"{MANIFEST_SCHEMA_VERSION}")
    for key, kind in (("scenario_sha256", str), ("record_level", str), ("master_seed", int), ("replications", int)):
        if not isinstance(m.get(key), kind) or isinstance(m.get(key), bool):
            raise RunFileError(f"{path}: no {key} (or not a {kind.__name__})")
    return m


def run_file_names(folder):
    """The run files (run_<r>.h5) directly in `folder`, in replication order; any
    other run_*.h5 name after them."""
    names = [n for n in os.listdir(folder) if n.startswith("run_") and n.endswith(".h5")]
    return sorted(names, key=lambda n: (0, int(_RUN_FILE.fullmatch(n).group(1)), n) if _RUN_FILE.fullmatch(n)
                  else (1, 0, n))


def _is_sweep_folder(folder):
    """sweep.h5 here or in the parent folder, or s<sample> folders inside: a sweep's, not a run's."""
    parent = os.path.dirname(os.path.abspath(folder))
    if os.path.exists(os.path.join(folder, "sweep.h5")) or os.path.exists(os.path.join(parent, "sweep.h5")):
        return True
    return any(re.fullmatch(r"s[0-9]+", n) and os.path.isdir(os.path.join(folder, n)) for n in os.listdir(folder))


def _run_attrs(path):
    with _opened(path) as f:
        return _check_schema(f, SCHEMA, SCHEMA_VERSION, "traineesim run file")


def check_folder(folder):
    """Checks that the run files of a variant folder are one run: their root
    attributes agree on scenario_sha256, master_seed and record_level, no
    replication is there twice, and, when the folder has a manifest.toml,
    they are its run's and exactly its replications 0..replications-1.
    Returns (manifest or None, [(path, attrs)] in replication order). Raises
    RunFileError, one line naming the folder and the files that disagree."""
    folder = os.fspath(folder)
    if not os.path.isdir(folder):
        raise RunFileError(f"{folder}: no such folder")
    if _is_sweep_folder(folder):
        raise RunFileError(f"{folder}: a sweep's folder, not a run's (read it with load_sweep or load_results)")
    manifest = read_manifest(folder)
    names = run_file_names(folder)
    if not names:
        raise RunFileError(f"{folder}: no run files (run_<replication>.h5)")
    files = [(os.path.join(folder, n), _run_attrs(os.path.join(folder, n))) for n in names]
    first_name, first = names[0], files[0][1]
    for name, (_, attrs) in zip(names[1:], files[1:]):
        for key in RUN_KEYS:
            if str(attrs.get(key)) != str(first.get(key)):
                raise RunFileError(f"{folder}: run files of different runs: {first_name} has {key} "
                                   f"{_shown(first.get(key))}, {name} has {_shown(attrs.get(key))}")
    replications = {}
    for name, (_, attrs) in zip(names, files):
        r = int(attrs.get("replication", -1))
        if r in replications:
            raise RunFileError(f"{folder}: {replications[r]} and {name} are both replication {r}")
        replications[r] = name
    if manifest is not None:
        for key, mkey in RUN_KEYS.items():
            if str(first.get(key)) != str(manifest[mkey]):
                raise RunFileError(f"{folder}: {first_name} disagrees with {MANIFEST}: {key} "
                                   f"{_shown(first.get(key))}, the manifest says {_shown(manifest[mkey])}")
        expected = [f"run_{r}.h5" for r in range(manifest["replications"])]
        if names != expected:
            extra = sorted(set(names) - set(expected))
            missing = [n for n in expected if n not in names]
            what = (f"{extra[0]} is not one of its replications" if extra else f"{missing[0]} is missing")
            raise RunFileError(f"{folder}: {MANIFEST} says {manifest['replications']} replication(s), {what}")
    return manifest, files


def load_folder(folder, labels=True):
    """Every run file of a variant folder (<out>/<variant>/), in replication
    order, as load_run gives them, after check_folder has found them to be
    one run. Raises RunFileError."""
    _, files = check_folder(folder)
    return [load_run(path, labels=labels) for path, _ in files]


# --- One long table for analysts (docs/OUTPUT.md, "Tidy results") -------------------------------------

def _is_variant_folder(path):
    return os.path.isdir(path) and (os.path.lexists(os.path.join(path, MANIFEST)) or bool(run_file_names(path)))


def _census_rows(run, variant, sample):
    """The labelled census of one run as long rows: variant, sample, replication,
    date, state, profession, band, the census attributes, headcount, fte."""
    c = run.census
    states = run.dictionaries["states"].set_index("name")
    attributes = [col for col, (role, d) in run.roles["census"].items() if d and col != "state"]
    out = pd.DataFrame({
        "variant": variant,
        "sample": np.int32(sample),
        "replication": np.int32(int(run.attrs["replication"])),
        "period": c["period"].to_numpy(),
        "date": c["period_end_date"].to_numpy(),
        "state": c["state"].array,
    })
    names = c["state"].astype(str)
    out["profession"] = names.map(states["profession"]).to_numpy()
    out["band"] = names.map(states["band"]).astype(np.int32).to_numpy()
    out["role"] = names.map(states["role"]).to_numpy()  # staff, trainee, vacancy, waiting or an exit kind
    for a in sorted(attributes):
        out[a] = c[a].array  # Categoricals stay Categoricals
    out["headcount"] = c["headcount"].to_numpy()
    out["fte"] = c["fte"].to_numpy()
    return out


def _sweep_census_rows(sweep):
    """load_results' rows from a sweep index alone (schema_version 2): its
    /runs_census, labelled, without census attribute columns."""
    c = sweep["runs_census"]
    runs = sweep["runs"].set_index("run_index").reindex(c["run_index"])
    return pd.DataFrame({
        "variant": runs["variant"].to_numpy(),
        "sample": runs["sample"].to_numpy().astype(np.int32),
        "replication": runs["replication"].to_numpy().astype(np.int32),
        "period": c["period"].to_numpy(),
        "date": c["period_end_date"].to_numpy(),
        "state": c["state"].array,
        "profession": c["profession"].astype(str).to_numpy(),
        "band": c["band"].to_numpy().astype(np.int32),
        "role": c["role"].astype(str).to_numpy(),
        "headcount": c["headcount"].to_numpy(),
        "fte": c["fte"].to_numpy(),
    })


def _variant_folders(path):
    """[(variant, folder)] of a run folder (the variant folder itself) or of a
    comparison (or run) output folder holding variant folders."""
    if _is_variant_folder(path):
        return [(os.path.basename(os.path.normpath(path)), path)]
    found = sorted(n for n in os.listdir(path) if _is_variant_folder(os.path.join(path, n)))
    # The baseline first, then the policies by name.
    found.sort(key=lambda n: (n != "baseline", n))
    return [(n, os.path.join(path, n)) for n in found]


def _check_sweep_run(path, row, attrs):
    """A sweep's run file is the run its index lists (a file copied in from elsewhere is refused)."""
    for key, expected in (("scenario_sha256", row.scenario_sha256), ("master_seed", row.seed),
                          ("replication", row.replication)):
        if str(attrs.get(key)) != str(expected):
            raise RunFileError(f"{path}: {row.file} is not the run sweep.h5 lists: {key} {_shown(attrs.get(key))}, "
                               f"the index says {_shown(expected)}")


def load_results(path):
    """One long table of census headcount and FTE for every run under `path`:
    a variant folder (<out>/<variant>), a run or comparison output folder
    (<out>, holding variant folders), or a sweep folder (<out> with
    sweep.h5; only its runs whose status is "done"; when some of their run
    files are gone, from sweep.h5 alone, schema_version 2: census attributes
    summed, so no attribute columns, with a warning). One row per (variant,
    sample, replication, period, state, census attribute levels), zero cells
    included; columns variant, sample (0 outside a sweep), replication,
    period, date (the census date, period_end_date), state, profession, band,
    role (the state's role: staff, trainee, vacancy, waiting or an exit kind),
    the census attributes in name order, headcount, fte. Each variant folder
    is checked with check_folder first. Raises RunFileError."""
    path = os.fspath(path)
    if not os.path.isdir(path):
        raise RunFileError(f"{path}: no such folder")
    frames = []
    index = os.path.join(path, "sweep.h5")
    if os.path.exists(index):
        sweep = load_sweep(index)
        runs = sweep["runs"]
        done = runs[runs.status == "done"]
        if "runs_census" in sweep and not all(os.path.exists(os.path.join(path, f)) for f in done.file):
            warnings.warn(f"{path}: run files not all there; the census comes from sweep.h5 (/runs_census), "
                          "summed over the census attributes", stacklevel=2)
            frames.append(_sweep_census_rows(sweep))
        for row in done.itertuples() if not frames else ():
            run = load_run(os.path.join(path, row.file))
            _check_sweep_run(path, row, run.attrs)
            frames.append(_census_rows(run, row.variant, row.sample))
    else:
        for variant, folder in _variant_folders(path):
            for run in load_folder(folder):
                frames.append(_census_rows(run, variant, 0))
    if not frames:
        raise RunFileError(f"{path}: no run files (neither a variant folder, nor one holding variant folders, "
                           "nor a sweep's)")
    out = pd.concat(frames, ignore_index=True)
    for col in ("variant", "profession", "role"):
        out[col] = pd.Categorical(out[col])
    return out
