"""Load a traineesim run file into pandas DataFrames, labels applied.

    from traineesim_tools import load_run
    run = load_run("results/cyp-psychological-professions/baseline/run_0.h5")
    run.census.groupby(["period_end_day", "state"]).headcount.sum()

Needs h5py and pandas (Debian: python3-h5py python3-pandas; elsewhere
`pip install -r tools/requirements.txt`). Depends only on docs/OUTPUT.md:
every column says what its values are (its `role` attribute) and which
dictionary labels its codes, so nothing here knows column names.
"""
from dataclasses import dataclass, field

import h5py
import numpy as np
import pandas as pd

SCHEMA = "traineesim.run"
SCHEMA_VERSION = 2
TABLES = ("persons", "events", "census", "flows", "pools")
# Labels of the codes that are not in a dictionary (docs/OUTPUT.md).
MISSING_LABEL = {"route": "initial_stock"}


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


def _table(group):
    return pd.DataFrame({k: (_decode(group[k][()]) if group[k].dtype.kind == "O" else group[k][()]) for k in group})


def _roles(group):
    return {k: (_text(group[k].attrs.get("role", "value")), _text(group[k].attrs.get("dictionary", ""))) for k in group}


def _dictionary_labels(f, path):
    """code -> label of a dictionary group (its `name` column, or `label` for attributes)."""
    g = f[path]
    labels = g["name"] if "name" in g else g["label"]
    return dict(zip(g["code"][()].tolist(), _decode(labels[()])))


def load_run(path, labels=True):
    """Every table of a run file as DataFrames; codes replaced by labels when `labels`."""
    with h5py.File(path, "r") as f:
        attrs = {k: _text(v) for k, v in f.attrs.items()}
        if attrs.get("schema") != SCHEMA or int(attrs.get("schema_version", -1)) != SCHEMA_VERSION:
            raise ValueError(f"{path}: not a traineesim run file of schema version {SCHEMA_VERSION}")
        if int(attrs.get("complete", 0)) != 1:
            raise ValueError(f"{path}: incomplete run file")
        run = Run(attrs=attrs, scenario=_text(f["scenario/resolved"][()]))
        d = f["dictionary"]
        for name in ("states", "events", "routes", "pools"):
            run.dictionaries[name] = _table(d[name])
        run.dictionaries["attributes"] = {a: _table(d["attributes"][a]) for a in d["attributes"]}
        dictionaries = {}
        for name in TABLES:
            if name not in f:
                continue
            run.tables[name] = _table(f[name])
            run.roles[name] = _roles(f[name])
            for role, dictionary in run.roles[name].values():
                if dictionary and dictionary not in dictionaries:
                    dictionaries[dictionary] = _dictionary_labels(f, dictionary)
    if labels:
        _apply_labels(run, dictionaries)
    return run


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


def load_sweep(path):
    """The tables of a sweep index (sweep.h5) as DataFrames: runs, samples, aggregate, aggregate_paired."""
    with h5py.File(path, "r") as f:
        if f.attrs.get("schema") not in (b"traineesim.sweep", "traineesim.sweep"):
            raise ValueError(f"{path}: not a traineesim sweep index")
        return {name: _table(f[name]) for name in ("runs", "samples", "aggregate", "aggregate_paired")}
