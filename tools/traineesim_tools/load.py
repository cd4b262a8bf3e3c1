"""Load a traineesim run file into pandas DataFrames, labels applied.

    from traineesim_tools import load_run
    run = load_run("results/cyp-psychological-professions/baseline/run_0.h5")
    run.census.groupby(["period_end_day", "state"]).headcount.sum()

Needs h5py and pandas (Debian: python3-h5py python3-pandas; elsewhere
`pip install -r tools/requirements.txt`). Depends only on docs/OUTPUT.md.
"""
from dataclasses import dataclass, field

import h5py
import numpy as np
import pandas as pd

SCHEMA = "traineesim.run"
SCHEMA_VERSION = 1


@dataclass
class Run:
    attrs: dict
    scenario: str
    dictionaries: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)

    def __getattr__(self, name):
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)


def _decode(values):
    return [v.decode() if isinstance(v, bytes) else v for v in values]


def _table(group):
    return pd.DataFrame({k: (_decode(group[k][()]) if group[k].dtype.kind == "O" else group[k][()]) for k in group})


def load_run(path, labels=True):
    """Every table of a run file as DataFrames; codes replaced by labels when `labels`."""
    with h5py.File(path, "r") as f:
        attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
        if attrs.get("schema") != SCHEMA or int(attrs.get("schema_version", -1)) != SCHEMA_VERSION:
            raise ValueError(f"{path}: not a traineesim run file of schema version {SCHEMA_VERSION}")
        if int(attrs.get("complete", 0)) != 1:
            raise ValueError(f"{path}: incomplete run file")
        run = Run(attrs=attrs, scenario=f["scenario/resolved"][()].decode())
        d = f["dictionary"]
        run.dictionaries["states"] = _table(d["states"])
        run.dictionaries["events"] = _table(d["events"])
        run.dictionaries["routes"] = _table(d["routes"])
        run.dictionaries["pools"] = _table(d["pools"])
        run.dictionaries["attributes"] = {a: _table(d["attributes"][a]) for a in d["attributes"]}
        for name in ("persons", "events", "census", "flows", "pools"):
            if name in f:
                run.tables[name] = _table(f[name])
    if labels:
        _apply_labels(run)
    return run


def _apply_labels(run):
    states = dict(enumerate(run.dictionaries["states"]["name"]))
    states[-1] = None
    events = dict(enumerate(run.dictionaries["events"]["name"]))
    routes = dict(enumerate(run.dictionaries["routes"]["name"]))
    routes[-1] = "initial_stock"
    pools = dict(enumerate(run.dictionaries["pools"]["name"]))
    attrs = {a: dict(zip(t["code"], t["label"])) for a, t in run.dictionaries["attributes"].items()}
    for name, df in run.tables.items():
        for col in df.columns:
            if col in ("state", "from_state", "to_state", "entry_state", "exit_state", "qualified_state"):
                df[col] = pd.Categorical(df[col].map(states), categories=list(run.dictionaries["states"]["name"]))
            elif col == "event":
                df[col] = df[col].map(events)
            elif col == "route":
                df[col] = df[col].map(routes)
            elif col == "pool" and name == "pools":
                df[col] = df[col].map(pools)
            elif col in attrs:
                df[col] = pd.Categorical(df[col].map(attrs[col]), categories=list(attrs[col].values()))


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
