#!/usr/bin/python3
"""Headline numbers of a run folder: what a policy reader looks at first.

usage: scripts/scenario_headlines.py RUN_FOLDER [--years 1,2,3,5,10] [--markdown]

RUN_FOLDER holds run_*.h5 (one per replication, from `traineesim run S -r R
--record summary --out DIR`, then DIR/baseline). For each profession with
staff (role "staff") it prints, per year k after the start date, the mean over
replications of qualified staff FTE in post and trainee headcount in the
census period ending on the k-th anniversary (or the last one before it);
the vacancy rate (vacancy-role headcount / (staff + vacancies)) where the
profession has vacancy states; and, per pool, utilisation and mean wait in
that period. Numbers are means over replications; the census is read as
written (no interpolation).
"""
import glob
import sys

import h5py
import numpy as np


def text(a):
    return [x.decode() if isinstance(x, bytes) else str(x) for x in a]


def one_run(path, years):
    f = h5py.File(path, "r")
    st = f["dictionary/states"]
    role, prof, qual = text(st["role"][:]), text(st["profession"][:]), st["qualified"][:]
    c = f["census"]
    state, period, end, fte, head = (c[k][:] for k in ("state", "period", "period_end_day", "fte", "headcount"))
    out = {}
    for k in years:
        day = round(365.2425 * k)
        ends = np.unique(end)
        ok = ends[ends <= day + 0.5]
        if not len(ok):
            continue
        sel_end = ok[-1]
        at = end == sel_end
        for s in range(len(role)):
            m = at & (state == s)
            p = prof[s] or "(none)"
            if role[s] == "staff" and qual[s]:
                out[("FTE", p, k)] = out.get(("FTE", p, k), 0.0) + fte[m].sum()
            if role[s] == "staff":
                out[("staff", p, k)] = out.get(("staff", p, k), 0.0) + head[m].sum()
            if role[s] == "trainee":
                out[("trainees", p, k)] = out.get(("trainees", p, k), 0.0) + head[m].sum()
            if role[s] == "vacancy":
                out[("vacancies", p, k)] = out.get(("vacancies", p, k), 0.0) + head[m].sum()
        if "pools" in f and "in_use" in f["pools"]:
            pl = f["pools"]
            names = text(f["dictionary/pools/name"][:])
            sel_period = int(period[at][0]) if at.any() else -1
            for i, n in enumerate(names):
                sel = (pl["pool"][:] == i) if "pool" in pl else np.ones(len(pl["in_use"]), bool)
                sel = sel & (pl["period"][:] == sel_period)
                cap = pl["capacity"][:][sel].sum()
                use = pl["in_use"][:][sel].sum()
                out[("pool use", n, k)] = use / cap if cap else float("nan")
                out[("pool wait days", n, k)] = float(pl["mean_wait_days"][:][sel].mean()) if sel.any() else float("nan")
    return out


def main():
    args = sys.argv[1:]
    years = [1, 2, 3, 5, 10]
    if "--years" in args:
        i = args.index("--years")
        years = [int(x) for x in args[i + 1].split(",")]
        del args[i:i + 2]
    markdown = "--markdown" in args
    if markdown:
        args.remove("--markdown")
    runs = [one_run(p, years) for p in sorted(glob.glob(args[0] + "/run_*.h5"))]
    keys = sorted({k[:2] for r in runs for k in r})
    if markdown:
        print("| measure | profession / pool | " + " | ".join("%d" % (2020 + k) for k in years) + " |")
        print("|---|---|" + "---:|" * len(years))
    else:
        print("%-16s %-34s " % ("measure", "profession / pool") + " ".join("%9s" % ("yr %d" % k) for k in years))
    for kind, p in keys:
        vals = []
        for k in years:
            v = [r.get((kind, p, k), np.nan) for r in runs]
            vals.append(np.nanmean(v) if not all(np.isnan(v)) else np.nan)
        if kind == "vacancies":
            staff = [np.mean([r.get(("staff", p, k), 0) for r in runs]) for k in years]
            vals = [v / (v + s) if v + s else np.nan for v, s in zip(vals, staff)]
            kind = "vacancy rate"
        fmt = "%9.3f" if kind in ("vacancy rate", "pool use") else "%9.0f"
        if markdown:
            if kind != "staff":  # FTE and trainees tell the story; headcount is in the run's own summary
                print("| %s | %s | " % (kind, p) + " | ".join((fmt % v).strip() for v in vals) + " |")
        else:
            print("%-16s %-34s " % (kind, p[:34]) + " ".join(fmt % v for v in vals))


if __name__ == "__main__":
    main()
