"""Supervision (and any other pool): capacity against demand over dates, per
variant with fans, and a sentence saying whether and when it binds."""
import html

import numpy as np

from .. import report_data as rd
from . import numbers
from .charts import Chart, Trace

# A pool binds at a census date when the median run has someone waiting for a slot.
WAITING = 0.5


def _matrix(runs, pool, column, n):
    rows = []
    for r in runs:
        p = r.pools[r.pools.pool == pool].sort_values("period_end_day")
        v = p[column].to_numpy(dtype=float)[:n]
        rows.append(np.pad(v, (0, n - len(v)), constant_values=np.nan))
    return np.array(rows)


def binds_sentence(ctx, pool, variant, queue, capacity, demand):
    """Whether and when the pool binds for one variant, in words."""
    median_queue = np.nanmedian(queue, axis=0)
    binding = np.flatnonzero(median_queue >= WAITING)
    dates = ctx.dates
    if len(binding) == 0:
        return (f"<li><b>{html.escape(variant)}</b>: {html.escape(pool)} does not bind: at no census date does the "
                f"median run have anyone waiting for a slot (demand peaks at "
                f"{numbers.count(np.nanmax(np.nanmedian(demand, axis=0)))} against capacity "
                f"{numbers.count(np.nanmedian(capacity, axis=0)[int(np.nanargmax(np.nanmedian(demand, axis=0)))])}).</li>")
    first, share = dates[binding[0]], len(binding) / len(dates)
    worst = binding[int(np.argmax(median_queue[binding]))]
    return (f"<li><b>{html.escape(variant)}</b>: {html.escape(pool)} <b>binds</b> from {first:%d %b %Y}: people wait "
            f"for a slot at {share:.0%} of census dates, most on {dates[worst]:%d %b %Y} "
            f"({numbers.count(median_queue[worst])} waiting, median run).</li>")


def section(ctx):
    pools = sorted({p for r in ctx.runs(ctx.results.baseline) for p in r.pools.pool.unique()})
    if not pools:
        return "<p>The scenario has no supervision or other capacity pools.</p>"
    n = len(ctx.days)
    out = []
    for pool in pools:
        traces, sentences = [], []
        for v in ctx.results.variants:
            runs = ctx.runs(v)
            cap, dem, queue = (_matrix(runs, pool, c, n) for c in ("capacity", "demand", "queue_length"))
            fc, fd = rd.fan(np.nan_to_num(cap)), rd.fan(np.nan_to_num(dem))
            traces.append(Trace(f"capacity ({v})", ctx.dates, fc["p50"], fc["p5"], fc["p95"], ctx.colour(v), "dash"))
            traces.append(Trace(f"demand: in use + waiting ({v})", ctx.dates, fd["p50"], fd["p5"], fd["p95"],
                                ctx.colour(v)))
            sentences.append(binds_sentence(ctx, pool, v, queue, cap, dem))
        out.append(f"<ul class=\"binds\" data-pool=\"{html.escape(pool)}\">{''.join(sentences)}</ul>")
        slug = "".join(ch if ch.isalnum() else "_" for ch in pool)
        out.append(ctx.charts.html(Chart(
            f"pool_{slug}", f"{pool}: capacity against demand", "slots",
            traces, "Capacity (dashed) and demand (solid: slots in use plus people waiting) at each census date; "
            "median and 5-95% across runs. The pool binds where demand is above capacity.", x_range=ctx.x_range)))
    cmp = ctx.results.comparison
    if cmp is not None:
        rows = cmp[cmp.indicator.str.startswith(("mean wait for", "utilisation of"))]
        if len(rows):
            items = []
            for r in rows.itertuples():
                fmt = numbers.share if r.indicator.startswith("utilisation") else (lambda x: f"{x:.1f} days")
                items.append(f"<li>{html.escape(r.indicator)}: {fmt(r.baseline_mean)} in the baseline, "
                             f"{fmt(r.policy_mean)} with {html.escape(r.policy)}</li>")
            out.append("<ul>" + "".join(items) + "</ul>")
    return "".join(out)
