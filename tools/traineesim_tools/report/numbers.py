"""Numbers written for people: thousands separators, money as "GBP 83.9m",
shares as percentages, intervals in words."""
import math


def _finite(x):
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def count(x, decimals=0):
    """12,345 (or 12,345.6); "-" for a missing value."""
    if not _finite(x):
        return "-"
    return f"{x:,.{decimals}f}"


def signed(x, decimals=0):
    if not _finite(x):
        return "-"
    return f"{x:+,.{decimals}f}"


def money(x, currency="GBP", sign=False):
    """GBP 83.9m, GBP 1.5bn, GBP 263,379; "-" for a missing value."""
    if not _finite(x):
        return "-"
    s = "-" if x < 0 else ("+" if sign and x > 0 else "")
    a = abs(x)
    if a >= 1e9:
        body = f"{a / 1e9:,.2f}bn"
    elif a >= 1e6:
        body = f"{a / 1e6:,.1f}m"
    elif a >= 1e4:
        body = f"{a / 1e3:,.0f}k"
    else:
        body = f"{a:,.0f}"
    return f"{s}{currency} {body}"


def share(x, decimals=1):
    """0.1234 -> 12.3%."""
    return "-" if not _finite(x) else f"{100 * x:.{decimals}f}%"


def ratio(x):
    return "-" if not _finite(x) else f"{x:.2f}"


def interval(low, high, fmt=count):
    """ "95% interval 11 to 26" in the number style of `fmt`."""
    if not (_finite(low) and _finite(high)):
        return "no interval"
    return f"95% interval {fmt(low)} to {fmt(high)}"


def number(x):
    """A general number for tables: separators, 3 significant digits below 100."""
    if not _finite(x):
        return "-"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"
