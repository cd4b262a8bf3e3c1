"""A headline box per policy, in plain words: what it buys, what it costs and
how sure we are. From comparison.h5 for a comparison; from the run files'
census, paired by sample and replication, for a sweep."""
import html
import re

import numpy as np

from .. import report_data as rd
from . import numbers, policy_info, uncertainty
from .series import paired

QUALIFIED_FTE = "qualified FTE in post at the horizon"


def _row(ctx, name, policy):
    return rd.indicator(ctx.results.comparison, name, policy)


def _diff_sentence(row, fmt):
    return (f"{fmt(row['difference'])} ({numbers.interval(row['ci_low'], row['ci_high'], fmt)}); "
            f"{fmt(row['baseline_mean']).lstrip('+')} in the baseline, {fmt(row['policy_mean']).lstrip('+')} with the policy")


def _horizon_rows(ctx, policy):
    """Staff FTE and headcount by profession (and band) on the last year end, from the comparison."""
    t = rd.indicators_like(ctx.results.comparison, r"staff (?P<measure>FTE|headcount) \[(?P<group>[^\]]+)\] on "
                                                   r"(?P<date>\d{4}-\d\d-\d\d)", policy)
    if t.empty:
        return t
    return t[t.date == t.date.max()]


def _table_groups(groups):
    """(group, label) in table order: a profession with several bands lists its
    bands, then its own row labelled as their total; [all] last, as the total
    over professions."""
    groups = list(dict.fromkeys(groups))
    banded = {g for g in groups if any(o.startswith(g + " band ") for o in groups)}
    out = []
    for g in groups:
        if g == "all" or g in banded:
            continue
        out.append((g, g))
        base = next((b for b in banded if g.startswith(b + " band ")), None)
        later = [o for o in groups if base and o.startswith(base + " band ")]
        if base and later and g == later[-1]:
            out.append((base, f"{base}, all bands (total)"))
    out += [(b, f"{b}, all bands (total)") for b in banded if b not in {x for x, _ in out}]
    if "all" in groups:
        out.append(("all", "all professions (total)"))
    return out


def _profession_table(rows):
    if rows.empty:
        return ""
    body = []
    by_group = {group: g for group, g in rows.groupby("group", sort=False)}
    for group, label in _table_groups(by_group):
        g = by_group[group]
        cells = []
        for measure in ("FTE", "headcount"):
            r = g[g.measure == measure]
            if r.empty:
                cells.append("<td>-</td>")
                continue
            r = r.iloc[0]
            cells.append(f"<td>{numbers.signed(r.difference, 1)}<br><small>"
                         f"{numbers.count(r.ci_low, 1)} to {numbers.count(r.ci_high, 1)}</small></td>")
        body.append(f"<tr><td class=\"l\">{html.escape(label)}</td>{''.join(cells)}</tr>")
    return ("<table class=\"t buys\"><tr><th class=\"l\">staff in post on " + html.escape(rows.date.iloc[0])
            + "</th><th>FTE change (95% interval)</th><th>headcount change</th></tr>" + "".join(body) + "</table>")


def _over_time(ctx, policy):
    """The qualified-FTE gain at each year end with the same month and day as the last one."""
    t = rd.indicators_like(ctx.results.comparison, r"staff FTE \[all\] on (?P<date>\d{4}-\d\d-\d\d)", policy)
    if t.empty:
        return ""
    last = t.date.max()[5:]
    t = t[t.date.str.endswith(last)]
    parts = [f"{d}: {numbers.signed(x, 0)}" for d, x in zip(t.date, t.difference)]
    return "<p class=\"overtime\">Staff FTE gained over time (all professions): " + html.escape("; ".join(parts)) + ".</p>"


def _cost_rate(ctx):
    for name in ctx.results.comparison.indicator.unique():
        m = re.fullmatch(r"total cost, discounted at ([\d.]+)% a year \((.+)\)", name)
        if m:
            return name, float(m.group(1)) / 100
    return None, None


def _costs(ctx, policy):
    cur = ctx.currency or "GBP"
    total = _row(ctx, f"total cost ({cur})", policy)
    disc_name, rate = _cost_rate(ctx)
    disc = _row(ctx, disc_name, policy) if disc_name else None
    if total is None or np.isnan(total["difference"]):
        return "<p>The scenario gives no costs (no <code>cost_per_year</code> on states or the policy).</p>"
    money = lambda x: numbers.money(x, cur)  # noqa: E731
    out = [f"<p class=\"cost\">Extra cost to the horizon: <b class=\"num\" data-headline=\"cost\">{money(total['difference'])}"
           f"</b> undiscounted ({numbers.interval(total['ci_low'], total['ci_high'], money)})"]
    if disc:
        out.append(f", <b class=\"num\" data-headline=\"cost_discounted\">{money(disc['difference'])}</b> discounted at "
                   f"{rate * 100:g}% a year")
    out.append(".</p>")
    spec = ctx.policies.get(policy)
    if spec and (spec.get("cost_once") or spec.get("cost_per_year")):
        own, own_disc, once, per_year = policy_info.own_costs(spec, float(ctx.first.attrs["horizon_days"]),
                                                              ctx.first.attrs["start_date"], rate or 0.035)
        out.append("<ul class=\"breakdown\">"
                   f"<li>the policy's own spending: {numbers.money(own, cur)} ({numbers.money(own_disc, cur)} discounted)"
                   f" = {numbers.money(once, cur)} once + {numbers.money(per_year, cur)} a year from "
                   f"{html.escape(str(spec.get('effective', 'the start')))}</li>"
                   f"<li>pay and training of the workforce it changes: {money(total['difference'] - own)} "
                   f"({money(disc['difference'] - own_disc) if disc else '-'} discounted)</li></ul>")
    else:
        out.append("<p><small>Breakdown between the policy's own spending and the pay of the staff it adds needs the "
                   "policy file (<code>report.py --policy FILE</code>).</small></p>")
    per_fte = _row(ctx, f"cost per additional qualified FTE in post ({cur})", policy)
    if per_fte and np.isfinite(per_fte["difference"]):
        out.append("<p>Cost per additional qualified FTE in post: <b class=\"num\" data-headline=\"cost_per_fte\">"
                   f"{numbers.money(per_fte['difference'], cur)}"
                   f"</b> ({numbers.interval(per_fte['ci_low'], per_fte['ci_high'], lambda x: numbers.money(x, cur))}).</p>")
    return "".join(out)


def _sure_comparison(ctx, policy):
    psa = uncertainty.sure_sentence(ctx, policy)
    reps = int(ctx.results.comparison.replications.max())
    independent = (ctx.results.comparison_attrs or {}).get("random_numbers") == "independent"
    how = ("with independent random numbers per variant (--independent-seeds), so wider than with common random "
           "numbers" if independent else
           "with common random numbers (each person meets the same luck in every variant)")
    if psa:
        return (f"<p class=\"sure\">The intervals above are paired 95% intervals over {reps} replications {how}, "
                "at the scenario's parameter values.</p>" + psa)
    return (f"<p class=\"sure\">Intervals are paired 95% intervals over {reps} replications {how}. "
            "<b>They cover simulation noise only</b>: every "
            "parameter is fixed at the scenario's value. A sweep over the uncertain parameters "
            "(<code>traineesim sweep</code>) or a PSA (<code>traineesim psa</code>, then "
            "<code>report.py --psa DIR</code>) widens them to parameter uncertainty.</p>")


def comparison_box(ctx, policy):
    fte = _row(ctx, QUALIFIED_FTE, policy)
    buys = "<p>No qualified FTE indicator in comparison.h5.</p>"
    if fte:
        buys = (f"<p class=\"buys\">Qualified FTE in post at the horizon ({ctx.horizon_date:%d %b %Y}): "
                f"<b class=\"num\" data-headline=\"fte\">{numbers.signed(fte['difference'], 0)}</b> "
                f"({numbers.interval(fte['ci_low'], fte['ci_high'], lambda x: numbers.signed(x, 0))}); "
                f"{numbers.count(fte['baseline_mean'])} in the baseline, {numbers.count(fte['policy_mean'])} with the "
                f"policy.</p>")
    return _box(ctx, policy, buys + _profession_table(_horizon_rows(ctx, policy)) + _over_time(ctx, policy),
                _costs(ctx, policy), _sure_comparison(ctx, policy))


def _runs_range(d, fmt):
    """'mean on average (95% of paired runs between low and high)' of per-run paired differences."""
    return (f"{fmt(float(np.mean(d)))}</b> on average (95% of paired runs between {fmt(np.percentile(d, 2.5))} and "
            f"{fmt(np.percentile(d, 97.5))})")


def _sweep_own_costs(ctx, policy, cur, rate):
    spec = ctx.policies.get(policy)
    if not (spec and (spec.get("cost_once") or spec.get("cost_per_year"))):
        return None
    own, own_disc, _, per_year = policy_info.own_costs(spec, float(ctx.first.attrs["horizon_days"]),
                                                       ctx.first.attrs["start_date"], rate)
    return own, own_disc, per_year


def _sweep_costs(ctx, policy):
    """What it costs, from sweep.h5's per-run indicators: the paired cost
    differences of every (sample, replication), and the cost per additional
    qualified FTE (ratio of the mean differences)."""
    header = rd.scenario_table(ctx.first.scenario).get("scenario", {})
    rate = float(header.get("discount_rate", 0.035))
    ind = rd.sweep_indicators(ctx.results)
    cur = rd.currency(ind) or ctx.currency or header.get("currency", "GBP")
    money = lambda x: numbers.money(x, cur)  # noqa: E731
    own = _sweep_own_costs(ctx, policy, cur, rate)
    own_text = ("" if own is None else
                f"<p>The policy's own spending (its TOML): <b class=\"num\">{money(own[0])}</b> to the horizon "
                f"({money(own[1])} discounted at {rate * 100:g}% a year), {money(own[2])} a year.</p>")
    if ind is None:
        return own_text + ("<p>This sweep.h5 predates per-run indicators (schema_version 1): rerun the sweep with "
                           "this traineesim for its costs.</p>")
    total = rd.sweep_paired_runs(ctx.results, policy, f"total cost ({cur})")
    if total.empty or total.isna().all():
        return own_text + "<p>The scenario gives no costs (no <code>cost_per_year</code> on states or the policy).</p>"
    out = [f"<p class=\"cost\">Extra cost to the horizon: <b class=\"num\" data-headline=\"cost\">"
           f"{_runs_range(total.to_numpy(), money)} undiscounted"]
    disc_names = rd.sweep_indicator_names(ctx.results, r"total cost, discounted at [\d.]+% a year \(.+\)")
    if disc_names:
        disc = rd.sweep_paired_runs(ctx.results, policy, disc_names[0])
        out.append(f"; <b class=\"num\" data-headline=\"cost_discounted\">{money(float(disc.mean()))}</b> "
                   f"{html.escape(disc_names[0][len('total cost, '):].rsplit(' (', 1)[0])} on average")
    out.append(".</p>")
    if own is not None:
        out.append("<ul class=\"breakdown\"><li>the policy's own spending: " + money(own[0]) + "</li>"
                   f"<li>pay and training of the workforce it changes: {money(float(total.mean()) - own[0])} on average"
                   "</li></ul>")
    fte = rd.sweep_paired_runs(ctx.results, policy, QUALIFIED_FTE)
    both = total.index.intersection(fte.index)
    if len(both) and float(fte.loc[both].mean()) != 0:
        ratio = float(total.loc[both].mean()) / float(fte.loc[both].mean())
        out.append("<p>Cost per additional qualified FTE in post: <b class=\"num\" data-headline=\"cost_per_fte\">"
                   f"{money(ratio)}</b> (mean extra cost over mean FTE gained, over {len(both)} paired runs; per "
                   "sample, with intervals, under <a href=\"#sweep\">Parameter uncertainty</a>).</p>")
    return "".join(out)


def sweep_box(ctx, policy):
    d = paired(ctx, policy, "qualified staff FTE [all]")
    samples = len(ctx.data[policy])
    at_end = d[:, -1] if len(d) else np.array([np.nan])
    lo, hi = (np.percentile(at_end, 2.5), np.percentile(at_end, 97.5)) if len(d) else (np.nan, np.nan)
    buys = (f"<p class=\"buys\">Qualified FTE in post at the horizon ({ctx.horizon_date:%d %b %Y}): "
            f"<b class=\"num\" data-headline=\"fte\">{numbers.signed(float(np.mean(at_end)), 0)}</b> on average "
            f"(95% of paired runs between {numbers.signed(lo, 0)} and {numbers.signed(hi, 0)}).</p>")
    rows = []
    for col in ctx.columns("qualified staff FTE ["):
        e = paired(ctx, policy, col)[:, -1]
        rows.append(f"<tr><td class=\"l\">{html.escape(col[len('qualified staff FTE '):].strip('[]'))}</td>"
                    f"<td>{numbers.signed(float(e.mean()), 1)}</td><td>{numbers.count(np.percentile(e, 2.5), 1)} to "
                    f"{numbers.count(np.percentile(e, 97.5), 1)}</td></tr>")
    buys += ("<table class=\"t buys\"><tr><th class=\"l\">profession</th><th>qualified FTE change</th>"
             "<th>95% of runs</th></tr>" + "".join(rows) + "</table>")
    costs = _sweep_costs(ctx, policy)
    sure = (f"<p class=\"sure\">The range is over {len(d)} paired runs: {samples} parameter samples x "
            f"{ctx.results.replications} replications, paired by sample and replication. <b>It covers parameter "
            "uncertainty (the sweep's sampled ranges) as well as simulation noise.</b></p>")
    sure += uncertainty.sure_sentence(ctx, policy)
    return _box(ctx, policy, buys, costs, sure)


def _box(ctx, policy, buys, costs, sure):
    return (f"<div class=\"headline\" data-policy=\"{html.escape(policy)}\"><h3>Policy: {html.escape(policy)}</h3>"
            f"{policy_info.describe(ctx, policy)}"
            f"<div class=\"cols\"><div><h4>What it buys</h4>{buys}</div><div><h4>What it costs</h4>{costs}</div>"
            f"<div><h4>How sure we are</h4>{sure}</div></div></div>")


def run_box(ctx):
    runs = ctx.runs(ctx.results.baseline)
    end = rd.stack(runs, "qualified staff FTE [all]")[:, -1]
    what = ("runs (parameter samples x replications)" if ctx.results.kind == "sweep" else "replication(s)")
    variant = ctx.results.baseline
    if variant in ctx.policies:
        # `traineesim run --policy`: the policy's runs alone. Say what the
        # policy is, and that nothing here measures what it changes.
        head = (f"<div class=\"headline\" data-policy=\"{html.escape(variant)}\"><h3>Policy: {html.escape(variant)} "
                f"(no baseline to compare with)</h3>{policy_info.describe(ctx, variant)}"
                "<p class=\"nobaseline\">This folder holds the policy's runs only, with no baseline runs, so it cannot "
                "say what the policy changes. Run <code>traineesim compare SCENARIO --policy POLICY</code> for paired "
                "baseline and policy runs and report on that folder.</p>")
        advice = ""
    else:
        head = "<div class=\"headline\" data-policy=\"\"><h3>No policy in this folder</h3>"
        advice = (" To put a number on a policy, run <code>traineesim compare SCENARIO --policy POLICY</code> and "
                  "report on its folder.")
    return (f"{head}"
            f"<p>{len(runs)} {what} of <b>{html.escape(variant)}</b>. Qualified staff FTE at the "
            f"horizon ({ctx.horizon_date:%d %b %Y}): <b class=\"num\" data-headline=\"fte\">"
            f"{numbers.count(float(np.median(end)))}</b> (5-95% across {what.split(' (')[0]} "
            f"{numbers.count(np.percentile(end, 5))} to "
            f"{numbers.count(np.percentile(end, 95))}).{advice}</p>"
            f"{uncertainty.sure_sentence(ctx, None)}</div>")


def section(ctx):
    if not ctx.results.policies:
        return run_box(ctx)
    box = sweep_box if ctx.results.kind == "sweep" else comparison_box
    return "".join(box(ctx, p) for p in ctx.results.policies)
