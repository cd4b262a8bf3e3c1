"""What a policy is: its description, dates and effect sizes, from its TOML
(`report.py --policy FILE`) and from what it changed in the resolved scenario
of its run files (parameters, modifiers with their dates, pools)."""
import html

from .. import report_data as rd
from . import numbers


def _value(v):
    if isinstance(v, float):
        return f"{v:,.4g}"
    if isinstance(v, dict):
        return ", ".join(f"{k} = {_value(x)}" for k, x in v.items())
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return str(v)


def _states(v):
    return ", ".join(map(str, v)) if isinstance(v, list) else str(v)


def _modifier_line(m):
    """One modifier in words, naming every selector it has (scenarios/README.md,
    [[modifiers]]): which hazards (event, from, to, from_kind, to_kind,
    from_qualified), for whom (`for`), and when (years_in_state, from_date,
    until_date). A selector left out would make it read wider than it is."""
    what = [f"hazard of event {m['event']}" if "event" in m else "hazard transitions"]
    if "from" in m:
        what.append(f"from {_states(m['from'])}")
    if "from_kind" in m:
        what.append(f"from a state of kind {m['from_kind']}")
    if "from_qualified" in m:
        what.append("from a qualified state" if m["from_qualified"] else "from an unqualified state")
    if "to" in m:
        what.append(f"to {_states(m['to'])}")
    if "to_kind" in m:
        what.append(f"to a state of kind {m['to_kind']}")
    when = []
    if isinstance(m.get("for"), dict) and m["for"]:
        when.append("for people with " + "; ".join(f"{k} {_states(v)}" for k, v in m["for"].items()))
    if "years_in_state" in m:
        y = m["years_in_state"]
        when.append(f"in years {_value(y[0])} to {_value(y[1])} in the state")
    if "from_date" in m:
        when.append(f"from {m['from_date']}")
    if "until_date" in m:
        when.append(f"until {m['until_date']}")
    return (f"<li><b>{html.escape(str(m.get('name', 'modifier')))}</b>: {html.escape(' '.join(what))} multiplied by "
            f"<code>{html.escape(str(m.get('factor', '?')))}</code>"
            + "".join(html.escape(", " + w) for w in when) + "</li>")


def own_costs(policy, horizon_days, start_date, discount_rate):
    """The policy's own spending (cost_once + cost_per_year from `effective` to the
    horizon), undiscounted and discounted as the simulator does
    (sim/model/indicators_costs.cpp: year t of the run weighted by 1 / (1 + r)^t)."""
    import pandas as pd
    once, per_year = float(policy.get("cost_once", 0)), float(policy.get("cost_per_year", 0))
    effective = policy.get("effective")
    start = pd.Timestamp(start_date)
    begin = max(0.0, (pd.Timestamp(str(effective)) - start).days) if effective else 0.0
    years = max(0.0, horizon_days - begin) / 365.0
    total = once + per_year * years
    discounted = once / (1 + discount_rate) ** int(begin // 365.0)
    t = 0
    while t * 365.0 < horizon_days:
        inside = max(0.0, min(horizon_days, (t + 1) * 365.0) - max(begin, t * 365.0)) / 365.0
        discounted += per_year * inside / (1 + discount_rate) ** t
        t += 1
    return total, discounted, once, per_year


def swept_ranges(ctx, variant):
    """{parameter: "swept a to b"} for the policy's own parameters a sweep
    varies (policy.<variant>.<parameter> keys taking more than one value):
    the runs differ in them, so no one run's value stands for the policy."""
    if ctx.results.kind != "sweep":
        return {}
    params = rd.sweep_parameters(ctx.results)
    prefix = f"policy.{variant}."
    return {k[len(prefix):]: f"swept {_value(float(params[k].min()))} to {_value(float(params[k].max()))}"
            for k in params.columns if k.startswith(prefix) and params[k].nunique() > 1}


def describe(ctx, variant):
    """HTML: the policy's description, dates, effect sizes and what it changed."""
    policy = ctx.policies.get(variant, {})
    base_text = ctx.first.scenario
    runs = ctx.runs(variant)
    # With no baseline variant (a `run --policy` folder) the first run is the
    # policy's own: there is nothing to diff against.
    has_baseline = variant != ctx.results.baseline
    changes = rd.policy_changes(base_text, runs[0].scenario) if has_baseline and runs and base_text else None
    out = []
    if policy.get("description"):
        out.append(f'<p class="description">{html.escape(str(policy["description"]))}</p>')
    else:
        out.append("<p class=\"description\">(The policy's own description is in its TOML file: pass it with "
                   "<code>report.py --policy FILE</code> to show it here and split its costs.)</p>")
    facts = []
    if policy.get("effective"):
        facts.append(f"effective from {policy['effective']}")
    if policy.get("cost_once"):
        facts.append(f"one-off cost {numbers.money(float(policy['cost_once']), ctx.currency or 'GBP')}")
    if policy.get("cost_per_year"):
        facts.append(f"{numbers.money(float(policy['cost_per_year']), ctx.currency or 'GBP')} a year")
    if policy.get("sources"):
        facts.append("sources " + ", ".join(map(str, policy["sources"])))
    if facts:
        out.append(f"<p>{html.escape('; '.join(facts))}.</p>")
    if changes and changes.parameters:
        swept = swept_ranges(ctx, variant)
        rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{'-' if b is None else html.escape(_value(b))}</td>"
                       f"<td>{html.escape(swept.get(k, _value(p)))}</td></tr>" for k, (b, p) in changes.parameters.items())
        out.append("<table class=\"t params\"><tr><th>effect-size parameter</th><th>baseline</th><th>policy</th></tr>"
                   f"{rows}</table>")
    if changes and changes.modifiers:
        out.append("<ul class=\"modifiers\">" + "".join(_modifier_line(m) for m in changes.modifiers) + "</ul>")
    if changes and changes.pools:
        out.append("<p>Pools changed: " + html.escape("; ".join(f"{k}: {_value(v)}" for k, v in changes.pools.items()))
                   + ".</p>")
    return "".join(out)
