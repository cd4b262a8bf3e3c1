"""Supervision (and any other capacity pool): capacity against demand over
dates, per variant with fans, and a sentence saying whether and when it binds.
Labour pools (a `labour` table in the scenario: a supply of candidates used up
by each hire, docs/SCENARIO.md) are not supervision: they get their own short
part, candidates available against vacancies waiting for one."""
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


def labour_pools(run):
    """Names of the pools the run's scenario (as run) declares with `labour`:
    candidates, not reusable slots. The run files' /dictionary/pools has no
    kind, so the resolved scenario text the run carries is the source."""
    pools = rd.scenario_table(run.scenario or "").get("pools", {})
    return {name for name, table in pools.items() if isinstance(table, dict) and "labour" in table}


def labour_section(ctx, pools):
    """Candidates in each labour pool against vacancies waiting for one, per variant."""
    n = len(ctx.days)
    out = ["<h3>Labour pools: candidates against vacancies waiting</h3>"]
    for pool in pools:
        traces, sentences = [], []
        for v in ctx.results.variants:
            runs = ctx.runs(v)
            cap, queue = (_matrix(runs, pool, c, n) for c in ("capacity", "queue_length"))
            fc, fq = rd.fan(np.nan_to_num(cap)), rd.fan(np.nan_to_num(queue))
            traces.append(Trace(f"candidates available ({v})", ctx.dates, fc["p50"], fc["p5"], fc["p95"],
                                ctx.colour(v), "dash"))
            traces.append(Trace(f"vacancies waiting for a candidate ({v})", ctx.dates, fq["p50"], fq["p5"], fq["p95"],
                                ctx.colour(v)))
            sentences.append(labour_sentence(ctx, pool, v, queue))
        out.append(f"<ul class=\"labour\" data-pool=\"{html.escape(pool)}\">{''.join(sentences)}</ul>")
        slug = "".join(ch if ch.isalnum() else "_" for ch in pool)
        out.append(ctx.charts.html(Chart(
            f"labour_{slug}", f"{pool}: candidates against vacancies waiting", "people", traces,
            "A labour pool is a supply of candidates (each hire uses one up; it refills at its inflow rate), not "
            "supervision. Candidates available (dashed) and vacancies waiting for a candidate (solid) at each census "
            "date; median and 5-95% across runs.", x_range=ctx.x_range)))
    return "".join(out)


def labour_sentence(ctx, pool, variant, queue):
    """Whether vacancies wait for a candidate from the pool, in words."""
    median_queue = np.nanmedian(queue, axis=0)
    waiting = np.flatnonzero(median_queue >= WAITING)
    if len(waiting) == 0:
        return (f"<li><b>{html.escape(variant)}</b>: {html.escape(pool)} never runs short: at no census date does "
                f"the median run have a vacancy waiting for a candidate.</li>")
    worst = waiting[int(np.argmax(median_queue[waiting]))]
    return (f"<li><b>{html.escape(variant)}</b>: {html.escape(pool)} <b>runs short</b> from "
            f"{ctx.dates[waiting[0]]:%d %b %Y}: vacancies wait for a candidate at {len(waiting) / len(ctx.dates):.0%} "
            f"of census dates, most on {ctx.dates[worst]:%d %b %Y} ({numbers.count(median_queue[worst])} waiting, "
            f"median run).</li>")


def _pool_of(indicator):
    """The pool named by a 'mean wait for POOL (days)' or 'utilisation of POOL' row."""
    if indicator.startswith("mean wait for "):
        return indicator[len("mean wait for "):].rsplit(" (days)", 1)[0]
    return indicator[len("utilisation of "):]


def pool_indicators(cmp, keep):
    """The comparison's mean wait and utilisation rows of the pools `keep` accepts, as a list."""
    if cmp is None:
        return ""
    rows = cmp[cmp.indicator.str.startswith(("mean wait for", "utilisation of"))]
    rows = rows[rows.indicator.map(_pool_of).map(keep).astype(bool)]
    items = []
    for r in rows.itertuples():
        fmt = numbers.share if r.indicator.startswith("utilisation") else (lambda x: f"{x:.1f} days")
        items.append(f"<li>{html.escape(r.indicator)}: {fmt(r.baseline_mean)} in the baseline, "
                     f"{fmt(r.policy_mean)} with {html.escape(r.policy)}</li>")
    return "<ul>" + "".join(items) + "</ul>" if items else ""


def section(ctx):
    first = ctx.runs(ctx.results.baseline)
    all_pools = sorted({p for r in first for p in r.pools.pool.unique()})
    labour = sorted(set(all_pools) & labour_pools(first[0])) if first else []
    pools = [p for p in all_pools if p not in labour]
    if not all_pools:
        return "<p>The scenario has no supervision or other capacity pools.</p>"
    n = len(ctx.days)
    out = [] if pools else ["<p>The scenario has no supervision or other capacity pools.</p>"]
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
    out.append(pool_indicators(ctx.results.comparison, lambda pool: pool not in labour))
    if labour:
        out.append(labour_section(ctx, labour))
        out.append(pool_indicators(ctx.results.comparison, lambda pool: pool in labour))
    return "".join(out)
