"""Supply over time: qualified staff and trainees, every variant overlaid with
fans, the paired difference with its interval, by profession, and the
establishment and vacancies of funded posts and pull routes."""
import html

import numpy as np
import pandas as pd

from .. import report_data as rd
from .charts import Chart, Trace
from .series import difference_traces, fan_traces

FAN = "median and 5-95% across {what}"


def _what(ctx):
    return "runs (replications x parameter samples)" if ctx.results.kind == "sweep" else "replications"


def _policy_dates(ctx):
    notes = []
    for v, spec in ctx.policies.items():
        if spec.get("effective"):
            notes.append((pd.Timestamp(str(spec["effective"])), f"{v}"))
    return [(d, label + " effective") for d, label in _merge(notes)]


def _merge(notes):
    from .charts import merged_notes
    return merged_notes(notes)


def overlay(ctx, key, column, title, ylabel, caption_start):
    if column not in ctx.columns(column.split(" [")[0]):
        return f"<p>{html.escape(title)}: none, the scenario has no such states.</p>"
    chart = Chart(key, title, ylabel, fan_traces(ctx, column), f"{caption_start} Lines: {FAN.format(what=_what(ctx))}.",
                  x_range=ctx.x_range, notes=_policy_dates(ctx))
    return ctx.charts.html(chart)


def difference_caption(ctx):
    """How the difference charts' interval was made: a sweep pools every sample; a
    comparison pairs replications on common random numbers, or, with
    --independent-seeds (comparison.h5's random_numbers = "independent"), only
    matches replication numbers whose random numbers are unrelated."""
    if ctx.results.kind == "sweep":
        return ("Policy minus baseline, paired by replication: mean and 95% paired interval over all paired runs of "
                "every sample (its width includes parameter uncertainty).")
    if (ctx.results.comparison_attrs or {}).get("random_numbers") == "independent":
        return ("Policy minus baseline, replication by replication: mean and 95% interval (Student t over "
                "replications with independent random numbers per variant, --independent-seeds, so not a paired "
                "comparison and wider than with common random numbers; simulation noise only).")
    return ("Policy minus baseline, paired by replication: mean and 95% paired interval (Student t over replications "
            "with common random numbers; simulation noise only).")


def difference(ctx, key, column, title, ylabel):
    traces = difference_traces(ctx, column)
    if not traces:
        return ""
    chart = Chart(key, title, ylabel, traces, difference_caption(ctx), x_range=ctx.x_range, zero_line=True,
                  notes=_policy_dates(ctx))
    return ctx.charts.html(chart)


def _line_styles(ctx):
    """What the line styles mean, for the variants this folder holds."""
    variants = list(ctx.results.variants)
    if len(variants) < 2:
        return ""
    if variants[0] == "baseline":
        return "baseline solid, policies dashed or dotted. "
    return f"{variants[0]} solid, {', '.join(variants[1:])} dashed or dotted. "


def by_profession(ctx, prefix, key, title, ylabel):
    """Every profession, every variant: baseline solid, policies dashed (click the legend to toggle)."""
    traces = []
    n = len(ctx.days)
    for i, col in enumerate(c for c in ctx.columns(prefix) if not c.endswith("[all]")):
        prof = col[len(prefix):].strip("[]")
        for j, v in enumerate(ctx.results.variants):
            f = rd.fan(rd.stack(ctx.runs(v), col)[:, :n])
            traces.append(Trace(f"{prof} ({v})", ctx.dates, f["p50"], f["p5"], f["p95"], _shade(i), _dash(j)))
    if not traces:
        return ""
    chart = Chart(key, title, ylabel, traces, f"By profession; {_line_styles(ctx)}"
                  f"Lines: {FAN.format(what=_what(ctx))}. Click a legend entry to hide it.", x_range=ctx.x_range,
                  height=480)
    return ctx.charts.html(chart)


def _shade(i):
    from .charts import colour
    return colour(i + 1)


def _dash(j):
    return ("solid", "dash", "dot")[min(j, 2)]


def establishment(ctx):
    """Establishment against staff in post, and the vacancy rate, at year ends (from comparison.h5)."""
    cmp = ctx.results.comparison
    if cmp is None:
        return ("<p>Establishment and vacancy rates are indicators of <code>traineesim compare</code>; this folder has "
                "none. The chart above shows vacancies being filled from the census.</p>")
    base = ctx.results.baseline
    rows = rd.indicators_like(cmp, r"(?P<what>establishment|staff in post|vacancy rate) \[(?P<label>[^\]]+)\] on "
                                   r"(?P<date>\d{4}-\d\d-\d\d)", ctx.results.policies[0] if ctx.results.policies else base)
    if rows.empty:
        return "<p>The scenario has no funded posts or pull routes with an establishment.</p>"
    rows["date"] = pd.to_datetime(rows.date)
    out = []
    for label, g in rows.groupby("label"):
        traces, rate = [], []
        est = g[g.what == "establishment"].sort_values("date")
        traces.append(Trace(f"establishment ({base})", list(est.date), est.baseline_mean.to_numpy(), dash="dot"))
        post = g[g.what == "staff in post"].sort_values("date")
        vac = g[g.what == "vacancy rate"].sort_values("date")
        traces.append(Trace(f"staff in post ({base})", list(post.date), post.baseline_mean.to_numpy(),
                            color=ctx.colour(base)))
        rate.append(Trace(base, list(vac.date), vac.baseline_mean.to_numpy(), color=ctx.colour(base)))
        for v in ctx.results.policies:
            pv = rd.indicators_like(cmp, r"(?P<what>establishment|staff in post|vacancy rate) \[" + _re(label)
                                    + r"\] on (?P<date>\d{4}-\d\d-\d\d)", v)
            if pv.empty:
                continue
            pv["date"] = pd.to_datetime(pv.date)
            for what, name, target in (("staff in post", f"staff in post ({v})", traces), ("vacancy rate", v, rate)):
                p = pv[pv.what == what].sort_values("date")
                target.append(Trace(name, list(p.date), p.policy_mean.to_numpy(), color=ctx.colour(v), dash="dash"))
        slug = "".join(ch if ch.isalnum() else "_" for ch in label)
        out.append(ctx.charts.html(Chart(f"establishment_{slug}", f"Establishment and staff in post: {label}",
                                         "headcount", traces, "Mean over replications at each year end (indicators of "
                                         "compare). The establishment is an input of the scenario.",
                                         x_range=ctx.x_range)))
        for t in rate:
            t.y = 100 * np.asarray(t.y)
        title, caption = vacancy_rate_words(label, counted_trainee_states(ctx.first, label))
        out.append(ctx.charts.html(Chart(f"vacancy_rate_{slug}", title, "vacancy rate (%)", rate, caption,
                                         x_range=ctx.x_range)))
    return "".join(out)


def counted_trainee_states(run, label):
    """Trainee states a pull route's intakes list in `counts` ("route R" labels;
    none for funded-post pools), from the scenario as run: the establishment
    counts them, staff in post does not (docs/INDICATORS.md)."""
    if not label.startswith("route "):
        return []
    route = rd.scenario_table(getattr(run, "scenario", "") or "").get("routes", {}).get(label[len("route "):], {})
    intakes = route.get("intake", [])
    intakes = intakes if isinstance(intakes, list) else [intakes]
    counted = {c for i in intakes if isinstance(i, dict) for c in i.get("counts", [])}
    roles = run.states.set_index("name").role if run.states is not None and "role" in run.states else {}
    return sorted(c for c in counted if roles.get(c) == "trainee")


def vacancy_rate_words(label, trainee_states):
    """Title and caption of a vacancy-rate chart. When the route's establishment
    counts trainees but staff in post does not (compare writes no per-route
    trainee count), the rate is the share of posts not held by staff in post,
    trainees' posts included, and says so."""
    if not trainee_states:
        return (f"Vacancy rate: {label}", "Share of the establishment not filled, mean over replications at each "
                "year end.")
    names = ", ".join(trainee_states)
    return (f"Establishment not held by staff in post: {label}",
            f"Share of the establishment not held by staff in post, mean over replications at each year end. Not a "
            f"vacancy rate: the establishment counts trainees ({names}, in the route's counts) and staff in post "
            f"does not (docs/INDICATORS.md), so posts held by trainees are in this share; the comparison has no "
            f"per-route trainee count to take them out.")


def _re(text):
    import re
    return re.escape(text)


def section(ctx):
    parts = [
        "<h3>Qualified staff</h3>",
        overlay(ctx, "qualified_fte", "qualified staff FTE [all]", "Qualified staff in post (FTE), all professions",
                "FTE", "Qualified staff (states marked qualified with the staff role), FTE at each census date."),
        difference(ctx, "qualified_fte_difference", "qualified staff FTE [all]",
                   "Qualified staff FTE: policy minus baseline", "FTE difference"),
        by_profession(ctx, "qualified staff FTE ", "qualified_fte_by_profession",
                      "Qualified staff in post (FTE) by profession", "FTE"),
        by_profession(ctx, "qualified staff headcount ", "qualified_headcount_by_profession",
                      "Qualified staff in post (headcount) by profession", "headcount"),
        "<h3>Trainees</h3>",
        overlay(ctx, "trainees", "trainees headcount [all]", "Trainees in training (headcount), all programmes",
                "headcount", "People in trainee states at each census date."),
        difference(ctx, "trainees_difference", "trainees headcount [all]", "Trainees: policy minus baseline",
                   "headcount difference"),
        by_profession(ctx, "trainees headcount ", "trainees_by_profession", "Trainees by profession", "headcount"),
        "<h3>Establishment and vacancies</h3>",
        overlay(ctx, "vacancies_filling", "vacancies being filled headcount [all]", "Vacancies being filled (headcount)",
                "headcount", "People in vacancy-role states (posts being recruited to) at each census date."),
        establishment(ctx),
    ]
    return "".join(parts)
