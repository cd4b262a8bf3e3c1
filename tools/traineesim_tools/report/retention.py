"""Retention after qualifying: Kaplan-Meier curves per variant (all
replications pooled), and the retention indicators of the comparison."""
import html

import numpy as np
import pandas as pd

from .. import analysis
from .. import report_data as rd
from . import numbers
from . import sweep
from .charts import Chart, Trace

GRID = 0.25  # years between points of the curves
READ_AT = (1, 3, 5)  # years after qualifying of the retention indicators, read off the curve too


def _curve(ctx, variant, horizon_years):
    """The pooled Kaplan-Meier curve on the grid, its Greenwood band, the
    number of people and the curve's readings at READ_AT years."""
    q = pd.concat([analysis.retention_data(_as_run(r)) for r in ctx.runs(variant)])
    km = analysis.kaplan_meier(q.years, q.left)
    years = np.arange(0, horizon_years + GRID / 2, GRID)
    s = np.array([analysis.survival_at(km, t) for t in years])
    se = np.array([float(km[km.time <= t].se.iloc[-1]) if (km.time <= t).any() else 0.0 for t in years])
    readings = {t: analysis.survival_at(km, t) for t in READ_AT if t <= horizon_years}
    return years, s, np.clip(s - 1.96 * se, 0, 1), np.clip(s + 1.96 * se, 0, 1), len(q), readings


class _as_run:
    """The two fields analysis.retention_data reads."""

    def __init__(self, r):
        self.persons, self.attrs = r.persons, r.attrs


def _share(x, signed=False):
    return numbers.signed(100 * x, 1) + " points" if signed else numbers.share(x)


def sweep_section(ctx):
    """A sweep's report reads census tables only: retention from sweep.h5's per-run indicators."""
    names = rd.sweep_indicator_names(ctx.results, r"retention \d+ year\(s\) after qualifying")
    if not names:
        return None
    return ("<p>Share of those who qualified during the run still in post N years later (docs/INDICATORS.md), per "
            "run.</p>" + sweep.indicator_spread_table(ctx, names, _share, "Retention after qualifying, all routes."))


def curve_readings(readings):
    """The curves read at READ_AT years, per variant: the same numbers as the chart."""
    items = [f"<li>{html.escape(v)}: " + " / ".join(f"{numbers.share(x)}" for x in r.values()) + "</li>"
             for v, r in readings.items() if r]
    if not items:
        return ""
    when = "/".join(str(t) for t in next(r for r in readings.values() if r))
    return (f"<p>The curves at {when} year(s) after qualifying:</p><ul>" + "".join(items) + "</ul>"
            "<p>The indicators below count, over the same people, those followed the full t years (qualified at "
            "least t years before the horizon); they agree with the curves within sampling noise.</p>")


def section(ctx):
    if ctx.first.persons is None and ctx.results.kind == "sweep" and rd.sweep_indicators(ctx.results) is not None:
        out = sweep_section(ctx)
        if out:
            return out
    if ctx.first.persons is None:
        return ("<p>No persons table here (a sweep report reads census tables only; record level summary writes "
                "none): retention curves need the persons of each run.</p>")
    horizon_years = float(ctx.first.attrs["horizon_days"]) / 365.0
    traces, counts, readings = [], [], {}
    for v in ctx.results.variants:
        years, s, low, high, n, readings[v] = _curve(ctx, v, horizon_years)
        traces.append(Trace(v, list(years), s, low, high, ctx.colour(v)))
        counts.append(f"{v}: {numbers.count(n)} trainee entrants who completed")
    chart = Chart("retention", "Still in the workforce after qualifying (Kaplan-Meier)", "share still in post", traces,
                  "Kaplan-Meier survival after completing training, over the population of the retention indicators "
                  "(docs/INDICATORS.md): people who started training during the run and completed it; not the "
                  "starting stock, not direct hires (people brought straight into posts). The clock stops at the "
                  "first leaving after completing (an exit or a career break; moves between posts are not leaving), "
                  "censored at the horizon; all replications pooled, with a 95% Greenwood interval ("
                  + "; ".join(counts) + "). The x axis is years since qualifying, not a date.",
                  xlabel="years since qualifying", x_range=(0, horizon_years))
    out = ctx.charts.html(chart) + curve_readings(readings)
    cmp = ctx.results.comparison
    if cmp is not None:
        rows = cmp[cmp.indicator.str.fullmatch(r"retention \d year\(s\) after qualifying")]
        items = [f"<li>{html.escape(r.indicator)}: {numbers.share(r.baseline_mean)} in the baseline, "
                 f"{numbers.share(r.policy_mean)} with {html.escape(r.policy)} ({numbers.signed(100 * r.difference, 1)} "
                 f"points, {numbers.interval(100 * r.ci_low, 100 * r.ci_high, lambda x: numbers.signed(x, 1))})</li>"
                 for r in rows.itertuples()]
        out += "<ul>" + "".join(items) + "</ul>"
    return out
