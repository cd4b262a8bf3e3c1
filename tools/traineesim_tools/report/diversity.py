"""Diversity: each group's share at each stage as a ratio to its population
benchmark, with 95% intervals over replications, and the relative likelihood
of progressing (qualifying) against the first level, per variant."""
import html
import re

import numpy as np
import pandas as pd

from .. import analysis
from .. import report_data as rd
from . import sweep
from .charts import Chart, Trace

STAGES = ("entrants", "qualifiers", "in post at the horizon")


def _stage_shares(persons, attribute):
    entrants = persons[persons.route != "initial_stock"]
    qualified = entrants[entrants.qualified_day.notna()]
    in_post = persons[persons.exit_day.isna() & persons.qualified_day.notna()]
    return {s: g[attribute].value_counts(normalize=True) for s, g in zip(STAGES, (entrants, qualified, in_post))}


def _t_interval(values):
    from scipy import stats
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) < 2:
        return (v.mean() if len(v) else np.nan), np.nan, np.nan
    half = stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v))
    return v.mean(), v.mean() - half, v.mean() + half


def has_effect(scenario, attribute):
    """Whether anything in the scenario other than entry mixes, the census and the
    attribute's own table mentions the attribute (a hazard or branch by it)."""
    for line in scenario.splitlines():
        s = line.strip()
        if s.startswith(("mix", "census", "[attributes.", "levels", "population")):
            continue
        if re.search(r"\b" + re.escape(attribute) + r"\b", s):
            return True
    return False


def ratio_chart(ctx, attribute, levels, population):
    traces = []
    for j, v in enumerate(ctx.results.variants):
        per_run = [_stage_shares(r.persons, attribute) for r in ctx.runs(v)]
        for k, stage in enumerate(STAGES):
            rows = [_t_interval([s[stage].get(level, 0.0) / population[level] for s in per_run]) for level in levels]
            mean, low, high = (np.array(x) for x in zip(*rows))
            traces.append(Trace(f"{stage} ({v})", levels, mean, low, high, ctx.colour(v),
                                marker=("circle", "square", "diamond")[k]))
    effect = has_effect(ctx.first.scenario, attribute)
    caption = (f"Share of each {attribute} group at each stage (circle: entrants, square: qualifiers, diamond: in "
               "post at the horizon) divided by its population share (1 = represented as in the population); colour: "
               "variant; mean and 95% interval over replications. ")
    caption += ("The scenario sets hazards or branches by this attribute, so the stages can differ by more than chance."
                if effect else
                f"The scenario sets no hazard or branch by {attribute}: the ratios show the entry mix, an input, and "
                "chance; differences between stages are not a finding.")
    return ctx.charts.html(Chart(f"diversity_{attribute}", f"Representation against the population: {attribute}",
                                 "share / population share", traces, caption, kind="points", xlabel=attribute))


def likelihood_table(ctx, attribute, levels):
    """Relative likelihood of qualifying vs the first level, pooled over replications, per variant."""
    rows = []
    for v in ctx.results.variants:
        e = pd.concat([r.persons[r.persons.route != "initial_stock"] for r in ctx.runs(v)])
        done = e[e.qualified_day.notna() | e.exit_day.notna()]
        rl = analysis.relative_likelihood(done.groupby(attribute, observed=False).qualified_day.count(),
                                          done.groupby(attribute, observed=False).size(), levels[0])
        for level in levels[1:]:
            r = rl.loc[level]
            rows.append(f"<tr><td class=\"l\">{html.escape(v)}</td><td class=\"l\">{html.escape(str(level))} vs "
                        f"{html.escape(str(levels[0]))}</td><td>{r.relative_likelihood:.3f}</td>"
                        f"<td>{r.ci_low:.3f} to {r.ci_high:.3f}</td></tr>")
    return ("<table class=\"t rl\"><tr><th class=\"l\">variant</th><th class=\"l\">group</th><th>relative likelihood "
            "of qualifying</th><th>95% interval</th></tr>" + "".join(rows) + "</table>"
            "<p><small>Relative likelihood (the Workforce Race Equality Standard's measure) of a trainee qualifying "
            "once the outcome is known, against the first group; 1 = equally likely. Pooled over replications.</small></p>")


def _ratio(x, signed=False):
    return f"{x:+.3f}" if signed else f"{x:.3f}"


def sweep_section(ctx):
    """A sweep's report reads census tables only: diversity from sweep.h5's per-run indicators."""
    rl = rd.sweep_indicator_names(ctx.results, r"relative likelihood of qualifying \[.+\]")
    pop = rd.sweep_indicator_names(ctx.results, r"entrants vs population \[.+\]")
    if not rl and not pop:
        return None
    out = []
    if pop:
        out.append("<h3>Trainee entrants against the population</h3>" + sweep.indicator_spread_table(
            ctx, pop, _ratio, "Share of trainee entrants in a group over its population share (1 = as in the "
            "population)."))
    if rl:
        out.append("<h3>Relative likelihood of qualifying</h3>" + sweep.indicator_spread_table(
            ctx, rl, _ratio, "Relative likelihood (the Workforce Race Equality Standard's measure) of a trainee "
            "qualifying once the outcome is known, against the first group; 1 = equally likely."))
    return "".join(out)


def section(ctx):
    first = ctx.first
    if first.persons is None and ctx.results.kind == "sweep" and rd.sweep_indicators(ctx.results) is not None:
        out = sweep_section(ctx)
        if out:
            return out
    if first.persons is None:
        return ("<p>No persons table here (a sweep report reads census tables only; record level summary writes none): "
                "diversity by stage needs the persons of each run "
                "(<code>load_run</code>) or a comparison report at one parameter point.</p>")
    if not first.attributes:
        return "<p>The scenario declares no attributes.</p>"
    out = []
    for attribute, table in first.attributes.items():
        levels = [str(x) for x in table["label"]]
        out.append(f"<h3>{html.escape(attribute)}</h3>")
        pop = dict(zip(levels, table["population"].to_numpy(dtype=float)))
        if all(np.isfinite(list(pop.values()))):
            out.append(ratio_chart(ctx, attribute, levels, pop))
        else:
            out.append(f"<p>No population benchmark for {html.escape(attribute)} in the scenario.</p>")
        out.append(likelihood_table(ctx, attribute, levels))
    return "".join(out)

