"""The uncertainty results: the paired effect of a swept policy parameter (a
sweep over policy.<name>.<parameter>), the probabilistic sensitivity analysis
(`traineesim psa`, report.py --psa) and the global sensitivity indices
(sensitivity.py, report.py --sensitivity)."""
import html

import numpy as np
import pandas as pd

from .. import report_data as rd
from . import numbers
from .charts import Chart, Trace, colour
from .series import paired

ALL_FTE = "qualified staff FTE [all]"
PROFESSION_FTE = "qualified staff FTE ["


# ------------------------------------------------------------ a swept policy parameter

def policy_keys(params, policies):
    """(key, policy) for each swept key that is a policy's own parameter (policy.<name>.<parameter>) of a
    policy in the sweep."""
    out = []
    for key in params.columns:
        parts = key.split(".")
        if len(parts) >= 3 and parts[0] == "policy" and ".".join(parts[1:-1]) in policies:
            out.append((key, ".".join(parts[1:-1])))
    return out


class OneSample:
    """A context whose data hold one sample only, so paired() pairs within it by replication."""

    def __init__(self, ctx, sample):
        self.results, self.days = ctx.results, ctx.days
        self.data = {v: {sample: s[sample]} for v, s in ctx.data.items() if sample in s}


def swept_effect(ctx, policy, key, params, column):
    """The policy's paired difference in `column` at the horizon per swept value:
    a DataFrame (value, sample, replications, mean_difference, ci_low, ci_high),
    sorted by value; the interval is the 95% Student t interval over the paired
    replications of that sample (simulation noise at that value)."""
    rows = []
    for sample in ctx.data[policy]:
        s = int(sample[1:])
        if s not in params.index or sample not in ctx.data[ctx.results.baseline]:
            continue
        d = paired(OneSample(ctx, sample), policy, column)
        if len(d) == 0:
            continue
        mean, low, high = rd.paired_interval(d[:, -1:])
        rows.append((float(params.loc[s, key]), sample, len(d), float(mean[0]), float(low[0]), float(high[0])))
    return pd.DataFrame(rows, columns=["value", "sample", "replications", "mean_difference", "ci_low", "ci_high"]) \
        .sort_values("value", kind="stable")


def _swept_chart(ctx, policy, key, params, columns, chart_key, title, others):
    traces, first = [], None
    for i, column in enumerate(columns):
        e = swept_effect(ctx, policy, key, params, column)
        if e.empty:
            continue
        first = e if first is None else first
        label = column[len(PROFESSION_FTE):].rstrip("]") if column.startswith(PROFESSION_FTE) else column
        traces.append(Trace(label, [f"{v:g}" for v in e.value], e.mean_difference.to_numpy(),
                            e.ci_low.to_numpy(), e.ci_high.to_numpy(), colour(i + 1)))
    if not traces:
        return "", None
    reps = int(first.replications.min())
    caption = (f"{policy} minus {ctx.results.baseline} at the horizon ({ctx.horizon_date:%d %b %Y}) against "
               f"{key}: mean paired difference and its 95% paired interval over {reps} replications per value "
               "(common random numbers: simulation noise at that value only)." + others)
    return ctx.charts.html(Chart(chart_key, title, "qualified FTE difference", traces, caption, kind="points",
                                 xlabel=key, zero_line=True, height=420)), first


def other_varying_keys(params, key):
    """The swept keys other than `key` that take more than one value (a key
    with one value does not vary across samples)."""
    return [k for k in params.columns if k != key and params[k].nunique() > 1]


def swept_policy_section(ctx, params):
    """A chart per swept policy parameter: the gain in qualified FTE in post, in all and per profession (the
    policy's senior posts among them), against the swept value, with a table of the numbers."""
    out = []
    professions = [c for c in ctx.columns(PROFESSION_FTE) if c != ALL_FTE]
    for key, policy in policy_keys(params, ctx.results.policies):
        others = other_varying_keys(params, key)
        note = (f" The other swept keys ({', '.join(others)}) vary across samples too." if others else "")
        slug = "".join(ch if ch.isalnum() else "_" for ch in key)
        chart, e = _swept_chart(ctx, policy, key, params, [ALL_FTE], f"swept_{slug}_fte",
                                f"Qualified FTE gained by {policy} against {key.split('.')[-1]}", note)
        if e is None:
            continue
        by_prof, _ = _swept_chart(ctx, policy, key, params, professions, f"swept_{slug}_professions",
                                  f"Qualified FTE gained by {policy} per profession against {key.split('.')[-1]}",
                                  note)
        rows = "".join(f"<tr><td>{r.value:g}</td><td>{numbers.signed(r.mean_difference, 0)}</td>"
                       f"<td>{numbers.signed(r.ci_low, 0)} to {numbers.signed(r.ci_high, 0)}</td>"
                       f"<td>{r.replications}</td></tr>" for r in e.itertuples())
        out.append(f"<h3 data-swept=\"{html.escape(key)}\">Effect of {html.escape(key)}</h3>"
                   f"<p>The sweep varies the policy's own parameter <code>{html.escape(key)}</code> from "
                   f"{e.value.min():g} to {e.value.max():g}; each value is paired with the baseline's runs of the "
                   f"same sample and replication. Qualified FTE gained at the horizon: "
                   f"{numbers.signed(e.mean_difference.iloc[0], 0)} at {e.value.iloc[0]:g}, "
                   f"{numbers.signed(e.mean_difference.iloc[-1], 0)} at {e.value.iloc[-1]:g}.</p>"
                   f"{chart}{by_prof}<table class=\"t swept\"><tr><th>{html.escape(key)}</th>"
                   "<th>qualified FTE gained</th><th>95% paired interval</th><th>replications</th></tr>"
                   f"{rows}</table>")
    return "".join(out)


# ------------------------------------------------------------ probabilistic sensitivity analysis

def psa_interval(psa):
    """Mean incremental qualified FTE and the 2.5-97.5% quantiles of the draw means (parameter uncertainty),
    as psa_summary.txt gives them."""
    means = psa.runs.groupby("draw").fte_difference.mean()
    return float(psa.runs.fte_difference.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def split_sentence(psa):
    """The noise-versus-parameter sentence for both outcomes."""
    parts = []
    for column, what in (("fte_difference", "incremental qualified FTE in post"),
                         ("cost_difference", "incremental discounted cost")):
        share = rd.variance_split(psa.runs, column)
        if np.isfinite(share):
            parts.append(f"{numbers.share(share)} of one run's variance of the {what} comes from the parameters, "
                         f"{numbers.share(1 - share)} from simulation noise")
    if not parts:
        return ("<p class=\"split\">The variance split needs at least 2 draws and 2 replications per draw.</p>")
    return ("<p class=\"split\">" + "; ".join(parts) + " (law of total variance over draws; one-way random-effects "
            "ANOVA, as in psa_summary.txt).</p>")


def psa_section(ctx):
    psa = ctx.psa
    runs, cur = psa.runs, ctx.currency or "GBP"
    means = runs.groupby("draw")[["fte_difference", "cost_difference"]].mean()
    mean, low, high = psa_interval(psa)
    scatter = ctx.charts.html(Chart(
        "psa_scatter", f"{psa.policy}: incremental qualified FTE and cost per run and per draw",
        f"incremental discounted cost ({cur})",
        [Trace("one paired run", runs.fte_difference.to_numpy(), runs.cost_difference.to_numpy(), color=colour(1),
               mode="markers", width=2.0, opacity=0.35),
         Trace("mean of a draw", means.fte_difference.to_numpy(), means.cost_difference.to_numpy(), color=colour(2),
               mode="markers", width=4.0)],
        f"{psa.draws} parameter draws (Latin hypercube) x {psa.replications} replications, each run paired with the "
        "baseline on common random numbers. The spread of draw means is parameter uncertainty; the spread of runs "
        "around their draw's mean is simulation noise.", kind="xy", xlabel="incremental qualified FTE in post at the "
        "horizon", height=460))
    acc = psa.acceptability
    curve = ctx.charts.html(Chart(
        "psa_acceptability", f"{psa.policy}: probability of being cost-effective", "probability cost-effective",
        [Trace("share of draws with positive net benefit", acc.threshold.to_numpy(),
               acc.probability_cost_effective.to_numpy(), color=colour(1), legend=False)],
        "Cost-effectiveness acceptability curve: the share of parameter draws whose mean net benefit "
        "(threshold x incremental FTE - incremental cost) is positive, against the threshold (cost per additional "
        "FTE a commissioner would pay).", kind="xy", xlabel=f"threshold: cost per additional FTE ({cur})",
        height=380))
    params = ", ".join(f"<code>{html.escape(p)}</code>" for p in psa.parameters)
    return (f"<p>Probabilistic sensitivity analysis of <b>{html.escape(psa.policy)}</b> "
            f"(<code>{html.escape(psa.folder)}</code>): {psa.draws} draws of the uncertain parameters ({params}) x "
            f"{psa.replications} replications. Incremental qualified FTE in post at the horizon: "
            f"<b class=\"num\" data-psa=\"fte\">{numbers.signed(mean, 0)}</b> (95% of draws between "
            f"{numbers.signed(low, 0)} and {numbers.signed(high, 0)}).</p>"
            f"{split_sentence(psa)}{scatter}{curve}")


def sure_sentence(ctx, policy):
    """The headline's "how sure" addition when a PSA of this policy was given; "" otherwise."""
    psa = ctx.psa
    if psa is None or (policy is not None and psa.policy != policy):
        return ""
    mean, low, high = psa_interval(psa)
    share = rd.variance_split(psa.runs, "fte_difference")
    split = (f" Parameters make {numbers.share(share)} of one run's variance, noise the rest."
             if np.isfinite(share) else "")
    return (f"<p class=\"sure psa\">With parameter uncertainty (PSA, {psa.draws} draws x {psa.replications} "
            f"replications): <b class=\"num\" data-headline=\"fte_psa\">{numbers.signed(mean, 0)}</b> "
            f"(95% of draws {numbers.signed(low, 0)} to {numbers.signed(high, 0)}). <b>This interval covers "
            f"parameter uncertainty as well as simulation noise.</b>{split}</p>")


# ------------------------------------------------------------ global sensitivity

OUTPUT_WORDS = {"fte_difference": "incremental qualified FTE in post at the horizon",
                "cost_difference": "incremental discounted total cost"}


def _index(v, lo, hi):
    return f"{v:.2f} <small>[{lo:.2f}, {hi:.2f}]</small>"


def sobol_table(sobol):
    rows = []
    for output, g in sobol.groupby("output", sort=False):
        for r in g.sort_values("total", ascending=False).itertuples():
            rows.append(f"<tr><td class=\"l\">{html.escape(OUTPUT_WORDS.get(output, output))}</td>"
                        f"<td class=\"l\">{html.escape(r.parameter)}</td><td>{_index(r.first, r.first_low, r.first_high)}"
                        f"</td><td>{_index(r.total, r.total_low, r.total_high)}</td></tr>")
    return ("<table class=\"t sobol\"><tr><th class=\"l\">output</th><th class=\"l\">parameter</th>"
            "<th>first-order index [95% interval]</th><th>total-order index [95% interval]</th></tr>"
            + "".join(rows) + "</table>")


def tornado_chart(ctx, t, i, output):
    t = t.sort_values("swing", ascending=False)
    base = float(t.output_at_medians.iloc[0])
    labels = list(t.parameter)
    traces = [Trace("parameter at its 5th percentile", labels, (t.output_low - base).to_numpy(), color=colour(1)),
              Trace("parameter at its 95th percentile", labels, (t.output_high - base).to_numpy(), color=colour(2))]
    words = OUTPUT_WORDS.get(output, output)
    return ctx.charts.html(Chart(
        f"tornado_sensitivity_{i}", f"One at a time: {words}", "", traces,
        f"Change in the {words} from its value with every parameter at its median ({numbers.number(base)}) as one "
        "parameter moves to its 5th or 95th percentile, the others held; largest swing first.", kind="hbar",
        xlabel="change from the value at the medians", zero_line=True, height=120 + 40 * len(labels)))


def morris_table(morris):
    rows = []
    for output, g in morris.groupby("output", sort=False):
        for r in g.sort_values("mu_star", ascending=False).itertuples():
            rows.append(f"<tr><td class=\"l\">{html.escape(OUTPUT_WORDS.get(output, output))}</td>"
                        f"<td class=\"l\">{html.escape(r.parameter)}</td><td>{numbers.number(r.mu_star)} <small>"
                        f"[{numbers.number(r.mu_star_low)}, {numbers.number(r.mu_star_high)}]</small></td>"
                        f"<td>{numbers.number(r.mu)}</td><td>{numbers.number(r.sigma)}</td></tr>")
    return ("<p>Morris screening (sensitivity.py --morris): mu* is the mean absolute change in the output per unit "
            "of the parameter's probability scale (comparable across parameters); sigma large against mu* marks "
            "interactions or a non-linear effect.</p><table class=\"t morris\"><tr><th class=\"l\">output</th>"
            "<th class=\"l\">parameter</th><th>mu* [95% interval]</th><th>mu</th><th>sigma</th></tr>"
            + "".join(rows) + "</table>")


def sensitivity_section(ctx):
    s = ctx.sensitivity
    out = [f"<p>Global sensitivity of the policy's incremental outcomes (<code>{html.escape(s.folder)}</code>, "
           "sensitivity.py).</p>"]
    if s.sobol is not None:
        charts = "".join(tornado_chart(ctx, g, i, output) for i, (output, g) in
                         enumerate(s.tornado.groupby("output", sort=False)))
        out.append("<p>Sobol indices with bootstrap 95% intervals. The first-order index is the share of the "
                   "output's variance due to the parameter alone; the total-order index adds its interactions. "
                   "Indices near 0 mark parameters not worth measuring better; wide intervals, or intervals that "
                   f"cross 0, need a larger design (--size).</p>{sobol_table(s.sobol)}{charts}")
    if s.morris is not None:
        out.append(morris_table(s.morris))
    return "".join(out)
