"""Analyses of traineesim run files: retention (Kaplan-Meier, Aalen-Johansen),
the training pipeline, diversity by stage, workforce supply across
replications. Pure functions on numpy/pandas; figures live in report.py.
"""
import numpy as np
import pandas as pd

DAYS_PER_YEAR = 365.0
CALENDAR_DAYS_PER_YEAR = 365.2425  # the indicators' mean calendar year (docs/INDICATORS.md)


def kaplan_meier(durations, observed):
    """Kaplan-Meier survival with Greenwood standard errors.

    durations: time to the event or to censoring; observed: True where the
    event happened. Returns one row per distinct event time: time, at_risk,
    events, survival (just after that time), se.
    """
    d = np.asarray(durations, dtype=float)
    e = np.asarray(observed, dtype=bool)
    # Vectorised over distinct event times (O(n log n)): at risk at t = people
    # with a duration >= t; events at t = observed exits at exactly t.
    times, events = np.unique(d[e], return_counts=True)
    at_risk = len(d) - np.searchsorted(np.sort(d), times, side="left")
    survival = np.cumprod(1.0 - events / at_risk)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(at_risk > events, events / (at_risk * (at_risk - events)), 0.0)
    se = survival * np.sqrt(np.cumsum(terms))
    return pd.DataFrame({"time": times, "at_risk": at_risk.astype(int), "events": events.astype(int),
                         "survival": survival, "se": se})


def survival_at(km, t):
    """S(t) from a kaplan_meier table (a step function, right-continuous)."""
    before = km[km.time <= t]
    return 1.0 if before.empty else float(before.survival.iloc[-1])


def aalen_johansen(durations, causes):
    """Cumulative incidence of competing causes.

    causes: the cause of each exit (any hashable), or None/NaN where censored.
    Returns a DataFrame indexed by event time with one column per cause.
    """
    d = np.asarray(durations, dtype=float)
    c = pd.Series(causes)
    observed = c.notna().to_numpy()
    kinds = sorted(c[observed].unique(), key=str)
    times = np.unique(d[observed])
    s, cif, rows = 1.0, {k: 0.0 for k in kinds}, []
    for t in times:
        at_risk = np.sum(d >= t)
        here = (d == t) & observed
        for k in kinds:
            cif[k] += s * np.sum(here & (c == k).to_numpy()) / at_risk
        s *= 1.0 - np.sum(here) / at_risk
        rows.append([t] + [cif[k] for k in kinds])
    return pd.DataFrame(rows, columns=["time"] + list(kinds)).set_index("time")


def retention_data(run):
    """Time in the workforce after completing training (years) and whether leaving was seen.

    The population of the retention indicators (docs/INDICATORS.md,
    Conventions): trainee entrants (training_day >= 0; not the stock already in
    training, not direct hires, who never trained during the run) who
    completed training. The clock starts at completed_day and stops at the
    first leaving after completing (left_after_completing_day: an exit or a
    waiting state; moves between staff states are not leaving), censored at the
    horizon. Years are mean calendar years (365.2425 days) as in the indicators.
    """
    p = run.persons
    horizon = float(run.attrs["horizon_days"])
    q = p[p.training_day.notna() & (p.training_day >= 0) & p.completed_day.notna()].copy()
    end = q.left_after_completing_day.fillna(horizon)
    q["years"] = (end - q.completed_day) / CALENDAR_DAYS_PER_YEAR
    q["left"] = q.left_after_completing_day.notna()
    return q


def relative_likelihood(success, total, reference):
    """WRES-style relative likelihood: P(success | level) / P(success | reference),
    with a 95% interval from the log relative risk. success/total: Series by level."""
    rows = []
    a, n1 = success[reference], total[reference]
    for level in total.index:
        c, n2 = success[level], total[level]
        if n2 == 0 or n1 == 0 or a == 0 or c == 0:
            rows.append((level, np.nan, np.nan, np.nan))
            continue
        rr = (c / n2) / (a / n1)
        se = np.sqrt(1 / c - 1 / n2 + 1 / a - 1 / n1)
        rows.append((level, rr, rr * np.exp(-1.96 * se), rr * np.exp(1.96 * se)))
    return pd.DataFrame(rows, columns=["level", "relative_likelihood", "ci_low", "ci_high"]).set_index("level")


def shares_by_stage(run, attribute):
    """Share of each level among entrants (routes), qualifiers and those in post at
    the horizon, with the population benchmark where the scenario gives one."""
    p = run.persons
    entrants = p[p.route != "initial_stock"]
    qualified = entrants[entrants.qualified_day.notna()]
    in_post = p[p.exit_day.isna() & p.qualified_day.notna()]
    out = pd.DataFrame({
        "entrants": entrants[attribute].value_counts(normalize=True),
        "qualified": qualified[attribute].value_counts(normalize=True),
        "in post at horizon": in_post[attribute].value_counts(normalize=True),
    }).fillna(0.0)
    pop = run.dictionaries["attributes"][attribute]
    if pop["population"].notna().all():
        out["population"] = pd.Series(pop["population"].to_numpy(), index=pop["label"].to_numpy())
    return out


def headcount_by(run, by="profession"):
    """Census headcount per period end, by state dictionary column `by` (or 'state')."""
    c = run.census.copy()
    states = run.dictionaries["states"].set_index("name")
    key = c.state.astype(str) if by == "state" else c.state.astype(str).map(states[by])
    c["group"] = key.replace("", "(none)")
    return c.groupby(["period_end_day", "group"]).headcount.sum().unstack(fill_value=0)


def fan(frames):
    """5/50/95 percentiles across replications of aligned DataFrames (same index and columns)."""
    stack = np.stack([f.to_numpy(dtype=float) for f in frames])
    idx, cols = frames[0].index, frames[0].columns
    return {q: pd.DataFrame(np.percentile(stack, q, axis=0), index=idx, columns=cols) for q in (5, 50, 95)}
