"""A sweep: fans per parameter sample and variant, the paired differences per
sample, and a tornado chart of each parameter's effect on the headline
indicators (qualified staff FTE at the horizon, and each policy's gain);
when a swept key is a policy's own parameter, that policy's paired gain
against the swept value (uncertainty.py)."""
import html

import numpy as np

from .. import report_data as rd
from . import numbers
from .uncertainty import OneSample, swept_policy_section
from .charts import Chart, Trace, colour
from .series import paired

HEADLINE = "qualified staff FTE [all]"


def _sample_label(params, sample):
    s = int(sample[1:])
    if s not in params.index:
        return sample
    return sample + ": " + ", ".join(f"{k.split('.')[-1]} = {v:.3g}" for k, v in params.loc[s].items())


def per_sample_chart(ctx, variant, params):
    traces = []
    n = len(ctx.days)
    for i, (sample, runs) in enumerate(ctx.data[variant].items()):
        f = rd.fan(rd.stack(runs, HEADLINE)[:, :n])
        traces.append(Trace(_sample_label(params, sample), ctx.dates, f["p50"], f["p5"], f["p95"], colour(i + 1),
                            width=1.0))
    everything = rd.fan(rd.stack(ctx.runs(variant), HEADLINE)[:, :n])
    traces.append(Trace(f"all samples ({variant}), 5-95%", ctx.dates, everything["p50"], everything["p5"],
                        everything["p95"], "#000000", "dash", 2.5))
    return ctx.charts.html(Chart(f"sweep_{_slug(variant)}_qualified_fte", f"Qualified staff FTE per parameter sample: "
                                 f"{variant}", "FTE", traces, "Thin lines with fans: median and 5-95% over the "
                                 "replications of each parameter sample (double-click a legend entry to show that sample alone); dashed "
                                 "with fan: median and 5-95% over every run of the variant (parameter uncertainty and "
                                 "simulation noise).", x_range=ctx.x_range, height=480))


def per_sample_difference(ctx, policy, params):
    traces, everything = [], []
    for i, sample in enumerate(ctx.data[policy]):
        sub = OneSample(ctx, sample)
        d = paired(sub, policy, HEADLINE)
        if len(d) == 0:
            continue
        everything.append(d)
        mean, low, high = rd.paired_interval(d)
        traces.append(Trace(_sample_label(params, sample), ctx.dates, mean, low, high, colour(i + 1), width=1.0))
    if not everything:
        return ""
    d = np.vstack(everything)
    traces.append(Trace("all paired runs: mean, 2.5-97.5%", ctx.dates, d.mean(axis=0), np.percentile(d, 2.5, axis=0),
                        np.percentile(d, 97.5, axis=0), "#000000", "dash", 2.5))
    return ctx.charts.html(Chart(f"sweep_{_slug(policy)}_difference", f"{policy} minus {ctx.results.baseline}: "
                                 "qualified staff FTE per sample", "FTE difference", traces,
                                 "Paired by sample and replication. Thin lines with bands: mean difference per parameter "
                                 "sample and its 95% paired interval (simulation noise at that sample); "
                                 "dashed with band: mean and 95% range over every paired run.", x_range=ctx.x_range,
                                 zero_line=True, height=480))


def effects(y, x):
    """Change in y across each parameter's swept range (min to max), holding the
    others: ordinary least squares on parameters scaled to [0, 1]; one parameter
    at a time when there are too few samples for a joint fit."""
    span = x.max(axis=0) - x.min(axis=0)
    keep = span > 0
    z = (x[:, keep] - x.min(axis=0)[keep]) / span[keep]
    out = np.full(x.shape[1], np.nan)
    if len(y) > z.shape[1] + 1:
        coef, *_ = np.linalg.lstsq(np.column_stack([np.ones(len(y)), z]), y, rcond=None)
        out[keep] = coef[1:]
    else:
        out[keep] = [np.polyfit(z[:, j], y, 1)[0] for j in range(z.shape[1])]
    return out


def headline_by_sample(ctx, params):
    """indicator name -> (the variant whose runs it reads, per-sample mean), for the samples every variant has."""
    samples = [s for s in ctx.data[ctx.results.baseline] if int(s[1:]) in params.index
               and all(s in ctx.data[v] for v in ctx.results.variants)]
    out = {}
    for v in ctx.results.variants:
        out[f"qualified staff FTE at the horizon ({v})"] = v, np.array(
            [rd.stack(ctx.data[v][s], HEADLINE)[:, -1].mean() for s in samples])
    for p in ctx.results.policies:
        out[f"qualified FTE gained by {p}"] = p, np.array(
            [paired(OneSample(ctx, s), p, HEADLINE)[:, -1].mean() for s in samples])
    return samples, out


def seen_by(key, variant):
    """Whether a swept key can change `variant`'s runs: policy.<name>.* keys
    only reach the variant that applies policy <name> (the baseline ignores
    them, docs: scenarios/README.md "Policies")."""
    parts = key.split(".")
    return not (len(parts) >= 3 and parts[0] == "policy") or ".".join(parts[1:-1]) == variant


# An effect this small against the indicator's size is rounding in the fit, not an effect.
NEGLIGIBLE = 1e-9


def clean_effects(e, y):
    """`e` with effects below NEGLIGIBLE x the indicator's scale (its largest |value|) set to 0."""
    scale = float(np.max(np.abs(y))) if len(y) else 0.0
    return np.where(np.abs(e) < NEGLIGIBLE * scale, 0.0, e)


def tornado(ctx, params):
    samples, indicators = headline_by_sample(ctx, params)
    if len(samples) < 2 or params.shape[1] == 0:
        return "<p>One parameter sample only: no parameter effects to show.</p>"
    out, unseen = [], []
    for i, (indicator, (variant, y)) in enumerate(indicators.items()):
        names = [k for k in params.columns if seen_by(k, variant) and params[k].nunique() > 1]
        if not names:
            unseen.append(variant)
            continue
        x = params.loc[[int(s[1:]) for s in samples], names].to_numpy(dtype=float)
        e = clean_effects(effects(y, x), y)
        order = np.argsort(-np.nan_to_num(np.abs(e)))
        labels = [f"{names[j]} ({params[names[j]].min():.3g} to {params[names[j]].max():.3g})" for j in order]
        trace = Trace(indicator, labels, e[order], color=colour(i + 1), legend=False)
        out.append(ctx.charts.html(Chart(
            f"tornado_{i}", f"Parameter effects on {indicator}", "", [trace],
            f"Change in {indicator} (mean over replications) as each parameter moves across its swept range, the others "
            f"held, from a linear fit over {len(samples)} samples; longest bar first. Mean over the samples "
            f"{numbers.count(float(np.mean(y)))}.", kind="hbar", xlabel="change across the range", zero_line=True,
            height=120 + 40 * len(labels))))
    if unseen:
        out.append(f"<p>No parameter effects on {html.escape(', '.join(unseen))}: no key that varies reaches its runs "
                   "(a <code>policy.&lt;name&gt;.*</code> key changes only that policy's runs).</p>")
    return "".join(out)


def _cell(row, fmt):
    if row is None or not np.isfinite(row.difference):
        return "<td>-</td>"
    iv = (numbers.interval(row.ci_low, row.ci_high, fmt) if np.isfinite(row.ci_low) and np.isfinite(row.ci_high)
          else "no interval")
    return f"<td>{fmt(row.difference)}<br><small>{iv}</small></td>"


def gain_clear_of_zero(row):
    """Whether a paired FTE gain's 95% interval lies wholly above or below 0."""
    return (row is not None and np.isfinite(row.ci_low) and np.isfinite(row.ci_high)
            and (row.ci_low > 0 or row.ci_high < 0))


def paired_indicators_table(ctx, policy, params):
    """Per parameter sample: the paired qualified FTE gain, extra cost and cost
    per additional FTE with their 95% intervals over the replications, from
    sweep.h5's /indicators_paired (what `compare` computes, at each sample)."""
    ind = rd.sweep_indicators(ctx.results)
    if ind is None:
        return ("<p>This sweep.h5 predates per-run indicators (schema_version 1): no paired indicators per sample.</p>")
    cur = rd.currency(ind) or "GBP"
    money = lambda x: numbers.money(x, cur, sign=True)  # noqa: E731
    names = [("qualified FTE in post at the horizon", lambda x: numbers.signed(x, 0)),
             (f"total cost ({cur})", money),
             (f"cost per additional qualified FTE in post ({cur})", lambda x: numbers.money(x, cur))]
    by = {n: rd.sweep_paired_rows(ctx.results, policy, n) for n, _ in names}
    samples = sorted(set().union(*[set(t["sample"]) for t in by.values() if t is not None and len(t)]))
    if not samples:
        return f"<p>No paired runs of {html.escape(policy)} and the baseline are done.</p>"
    rows = []
    for k in samples:
        cells, fte = [], None
        for n, fmt in names:
            t = by[n]
            r = t[t["sample"] == k] if t is not None else None
            row = None if r is None or r.empty else r.iloc[0]
            fte = row if n == names[0][0] else fte
            if n == names[2][0] and not gain_clear_of_zero(fte):
                cells.append("<td>-</td>")  # as the caption says: no ratio over a gain that may be 0
                continue
            cells.append(_cell(row, fmt))
        reps = by[names[0][0]]
        n_reps = reps[reps["sample"] == k].replications.iloc[0] if reps is not None and (reps["sample"] == k).any() else 0
        rows.append(f"<tr><td class=\"l\">{html.escape(_sample_label(params, f's{k}'))}</td><td>{n_reps}</td>"
                    + "".join(cells) + "</tr>")
    return (f"<table class=\"t paired-samples\" data-policy=\"{html.escape(policy)}\"><tr><th class=\"l\">sample</th>"
            "<th>paired runs</th><th>qualified FTE gained at the horizon (95% interval)</th><th>extra cost to the horizon"
            "</th><th>cost per additional qualified FTE</th></tr>" + "".join(rows) + "</table>"
            f"<p><small>{html.escape(policy)} minus {html.escape(ctx.results.baseline)}, paired by replication within "
            "each parameter sample (common random numbers): the mean difference and its 95% Student-t interval over the "
            "replications, which covers simulation noise at that sample; the spread between samples is the parameter "
            "uncertainty. Cost per FTE: ratio of the mean differences with a delta-method interval, left out when the "
            "FTE gain is not clearly away from 0 (docs/INDICATORS.md).</small></p>")


def indicator_spread_table(ctx, names, fmt, caption):
    """Per-run indicators of a sweep (sweep.h5's /indicators), one row per
    indicator: each variant's mean over its runs with the 5-95% range across
    runs, and each policy's mean paired difference with 95% of paired runs.
    `fmt` formats a value; differences are formatted the same, signed."""
    res = ctx.results
    head = "".join(f"<th>{html.escape(v)}: mean (5-95% of runs)</th>" for v in res.variants)
    head += "".join(f"<th>{html.escape(p)} minus {html.escape(res.baseline)} (95% of paired runs)</th>"
                    for p in res.policies)
    rows = []
    for n in names:
        cells = []
        for v in res.variants:
            x = rd.sweep_runs_of(res, v, n).dropna().to_numpy()
            cells.append("<td>-</td>" if not len(x) else
                         f"<td>{fmt(float(x.mean()))}<br><small>{fmt(np.percentile(x, 5))} to "
                         f"{fmt(np.percentile(x, 95))}</small></td>")
        for p in res.policies:
            d = rd.sweep_paired_runs(res, p, n).dropna().to_numpy()
            cells.append("<td>-</td>" if not len(d) else
                         f"<td>{fmt(float(d.mean()), True)}<br><small>{fmt(np.percentile(d, 2.5), True)} to "
                         f"{fmt(np.percentile(d, 97.5), True)}</small></td>")
        rows.append(f"<tr><td class=\"l\">{html.escape(n)}</td>{''.join(cells)}</tr>")
    return (f"<table class=\"t sweep-indicators\"><tr><th class=\"l\">indicator</th>{head}</tr>{''.join(rows)}"
            f"</table><p><small>{caption} From sweep.h5's per-run indicators (docs/INDICATORS.md): every run of "
            "every parameter sample, so the ranges cover parameter uncertainty as well as simulation noise.</small></p>")


def samples_table(params):
    head = "".join(f"<th>{html.escape(c)}</th>" for c in params.columns)
    rows = "".join(f"<tr><td>s{s}</td>" + "".join(f"<td>{v:.4g}</td>" for v in r) + "</tr>"
                   for s, r in zip(params.index, params.to_numpy()))
    return f"<details><summary>Parameter samples ({len(params)})</summary><table class=\"t\"><tr><th>sample</th>{head}" \
           f"</tr>{rows}</table></details>"


def _slug(text):
    return "".join(ch if ch.isalnum() else "_" for ch in text)


def section(ctx):
    params = rd.sweep_parameters(ctx.results)
    out = [f"<p>{len(params)} parameter samples x {len(ctx.results.variants)} variant(s) x "
           f"{ctx.results.replications} replications; {sum(len(ctx.runs(v)) for v in ctx.results.variants)} runs done "
           "(sweep.h5).</p>", samples_table(params), swept_policy_section(ctx, params), "<h3>Parameter effects</h3>", tornado(ctx, params),
           "<h3>Per parameter sample</h3>"]
    for p in ctx.results.policies:
        out.append(f"<h4>{html.escape(p)}: paired differences per sample</h4>")
        out.append(paired_indicators_table(ctx, p, params))
    out += [per_sample_chart(ctx, v, params) for v in ctx.results.variants]
    out += [per_sample_difference(ctx, p, params) for p in ctx.results.policies]
    return "".join(out)
