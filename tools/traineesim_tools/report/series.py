"""Time series across runs: fans per variant and paired differences, as chart traces."""
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import report_data as rd
from .charts import Trace, colour


@dataclass
class Context:
    """Everything a section needs: the results, their runs as series, where charts go."""
    results: rd.Results
    data: dict            # variant -> sample -> [RunSeries]
    charts: object        # ChartWriter
    policies: dict        # variant -> policy TOML table (from --policy files), may be empty
    currency: str
    psa: object = None          # report_data.Psa from --psa, or None
    sensitivity: object = None  # report_data.Sensitivity from --sensitivity, or None

    @property
    def first(self):
        samples = self.data[self.results.baseline]
        return samples[next(iter(samples))][0]

    @property
    def days(self):
        return self.first.series.index.to_numpy()

    @property
    def dates(self):
        return rd.dates_of(self.first.attrs, self.days)

    @property
    def x_range(self):
        start = pd.Timestamp(self.first.attrs["start_date"])
        return start, start + pd.Timedelta(days=float(self.first.attrs["horizon_days"]))

    @property
    def horizon_date(self):
        return self.x_range[1]

    def runs(self, variant):
        return [r for runs in self.data[variant].values() for r in runs]

    def colour(self, variant):
        return colour(self.results.variants.index(variant))

    def columns(self, prefix):
        """Series names starting with `prefix` present in any baseline run, "[all]" first."""
        names = sorted({c for r in self.runs(self.results.baseline) for c in r.series.columns if c.startswith(prefix)})
        return sorted(names, key=lambda c: (not c.endswith("[all]"), c))


def _aligned(runs, column, n):
    values = rd.stack(runs, column)
    return values[:, :n] if values.shape[1] >= n else np.pad(values, ((0, 0), (0, n - values.shape[1])))


def fan_traces(ctx, column, label=None, dash="solid"):
    """One trace per variant: median and 5-95% fan across its runs (replications, and samples in a sweep)."""
    traces = []
    n = len(ctx.days)
    for v in ctx.results.variants:
        f = rd.fan(_aligned(ctx.runs(v), column, n))
        traces.append(Trace(f"{v}{' ' + label if label else ''}", ctx.dates, f["p50"], f["p5"], f["p95"],
                            ctx.colour(v), dash))
    return traces


def paired(ctx, policy, column):
    """Paired differences policy - baseline, one row per (sample, replication) both have."""
    n = len(ctx.days)
    rows = []
    for sample, runs in ctx.data[policy].items():
        base = {r.attrs["replication"]: r for r in ctx.data[ctx.results.baseline].get(sample, [])}
        for r in runs:
            b = base.get(r.attrs["replication"])
            if b is not None:
                rows.append(_aligned([r], column, n)[0] - _aligned([b], column, n)[0])
    return np.array(rows) if rows else np.zeros((0, n))


def difference_traces(ctx, column):
    """Per policy: mean paired difference over time and its 95% interval."""
    traces = []
    for v in ctx.results.policies:
        d = paired(ctx, v, column)
        if len(d) == 0:
            continue
        mean, low, high = rd.paired_interval(d)
        traces.append(Trace(f"{v} - {ctx.results.baseline}", ctx.dates, mean, low, high, ctx.colour(v)))
    return traces


def at_horizon(values):
    return values[..., -1]
