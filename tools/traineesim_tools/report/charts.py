"""One chart spec, drawn twice: an interactive plotly chart for the HTML (hover
values, toggle series by clicking the legend, zoom) and a matplotlib PNG/SVG
with its title inside the image, for slides.

Kinds: "lines" (time series with optional 5-95% fans, x = dates), "hbar"
(horizontal bars, e.g. a tornado), "points" (values with 95% intervals by
category, e.g. a ratio to a benchmark) and "xy" (numbers against numbers, as
lines or markers by trace, e.g. a PSA scatter or an acceptability curve).
"""
import html
import os
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text in the SVG: searchable and editable on slides
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
import plotly.io as pio  # noqa: E402
import pkgutil  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

PALETTE = ["#444444", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
           "#bcbd22"]
MARKERS = {"circle": "o", "square": "s", "diamond": "D"}
DASHES = {"solid": ("solid", "-"), "dash": ("dash", "--"), "dot": ("dot", ":")}


@dataclass
class Trace:
    name: str
    x: list
    y: np.ndarray
    low: np.ndarray = None   # fan (5%) or interval low
    high: np.ndarray = None  # fan (95%) or interval high
    color: str = PALETTE[0]
    dash: str = "solid"
    width: float = 2.0
    legend: bool = True
    marker: str = "circle"   # points charts: plotly marker symbol
    mode: str = "lines"      # xy charts: "lines" or "markers"
    opacity: float = 1.0     # xy markers: below 1 for dense clouds


@dataclass
class Chart:
    key: str          # file name of the PNG/SVG and id of the HTML element
    title: str
    ylabel: str
    traces: list
    caption: str
    kind: str = "lines"
    xlabel: str = "date"
    x_range: tuple = None   # (first date, horizon) for time series
    zero_line: bool = False
    height: int = 420
    notes: list = field(default_factory=list)  # vertical date markers: (date, label)


def merged_notes(notes):
    """Date markers with one label per date ("a, b effective")."""
    by_date = {}
    for date, label in notes:
        by_date.setdefault(date, []).append(label)
    return [(d, ", ".join(labels)) for d, labels in by_date.items()]


def colour(i):
    return PALETTE[i % len(PALETTE)]


def _thousands(v, _pos=None):
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}"


class ChartWriter:
    """Writes each chart's PNG and SVG into `folder` and returns its HTML."""

    def __init__(self, folder, slides=True):
        self.folder = folder
        self.slides = slides
        self.keys = []
        self.pending = []
        os.makedirs(folder, exist_ok=True)

    def html(self, chart):
        self.keys.append(chart.key)
        if self.slides:
            self.pending.append(chart)
        div = _plotly(chart).to_html(full_html=False, include_plotlyjs=False,
                                     config={"displaylogo": False, "responsive": True})
        files = os.path.basename(self.folder)
        links = (f' <span class="files">For slides: <a href="{files}/{chart.key}.png">PNG</a>, '
                 f'<a href="{files}/{chart.key}.svg">SVG</a>.</span>') if self.slides else ""
        return (f'<figure class="chart" id="chart-{chart.key}" data-chart="{chart.key}">{div}'
                f"<figcaption>{html.escape(chart.caption)}{links}</figcaption></figure>")

    def finish(self):
        """Draws the PNG/SVG files, in worker processes when there are cores to spare
        (matplotlib takes most of a report's time)."""
        charts, self.pending = self.pending, []
        workers = min(len(charts), os.cpu_count() or 1, 4)
        if workers > 1:
            import multiprocessing
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                pool.map(self._slide, charts, chunksize=1)
        else:
            for chart in charts:
                self._slide(chart)

    def _slide(self, chart):
        fig, ax = plt.subplots(figsize=(9, chart.height / 100 + 0.6))
        DRAW[chart.kind](ax, chart)
        ax.set_title(chart.title, fontsize=11, loc="left")
        ax.set_ylabel(chart.ylabel)
        if chart.kind == "lines":
            ax.set_xlabel(chart.xlabel)
            ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
            if chart.x_range:
                ax.set_xlim(*chart.x_range)
        if chart.zero_line:
            (ax.axvline if chart.kind == "hbar" else ax.axhline)(0, color="#999", lw=0.8)
        if any(t.legend for t in chart.traces):
            ax.legend(fontsize=7, ncol=2 if len(chart.traces) > 6 else 1)
        ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(os.path.join(self.folder, chart.key + ".svg"))
        fig.savefig(os.path.join(self.folder, chart.key + ".png"), dpi=100)
        plt.close(fig)


def _mpl_lines(ax, chart):
    for t in chart.traces:
        if t.low is not None:
            ax.fill_between(t.x, t.low, t.high, color=t.color, alpha=0.15, lw=0)
        ax.plot(t.x, t.y, color=t.color, ls=DASHES[t.dash][1], lw=t.width * 0.75,
                label=t.name if t.legend else None)
    for date, label in merged_notes(chart.notes):
        ax.axvline(date, color="#777", ls=":", lw=1)
        ax.annotate(label, (date, 1), xycoords=("data", "axes fraction"), fontsize=7, va="top", rotation=90)


def _mpl_hbar(ax, chart):
    n = len(chart.traces)
    for i, t in enumerate(chart.traces):
        pos = np.arange(len(t.x)) + (i - (n - 1) / 2) * 0.8 / n
        ax.barh(pos, t.y, height=0.8 / n, color=t.color, label=t.name if t.legend else None)
    ax.set_yticks(np.arange(len(chart.traces[0].x)), chart.traces[0].x, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(chart.xlabel)


def _mpl_points(ax, chart):
    n = len(chart.traces)
    for i, t in enumerate(chart.traces):
        pos = np.arange(len(t.x)) + (i - (n - 1) / 2) * 0.6 / max(n, 1)
        err = None
        if t.low is not None:
            err = np.vstack([np.asarray(t.y) - np.asarray(t.low), np.asarray(t.high) - np.asarray(t.y)])
            err = np.where(np.isfinite(err), err, 0)
        ax.errorbar(pos, t.y, yerr=err, fmt=MARKERS.get(t.marker, "o"), color=t.color, capsize=3,
                    label=t.name if t.legend else None)
    ax.set_xticks(np.arange(len(chart.traces[0].x)), chart.traces[0].x, fontsize=8, rotation=15)
    ax.set_xlabel(chart.xlabel)


def _mpl_xy(ax, chart):
    for t in chart.traces:
        label = t.name if t.legend else None
        if t.mode == "markers":
            ax.scatter(t.x, t.y, s=4 * t.width ** 2, color=t.color, alpha=t.opacity, label=label, lw=0)
        else:
            ax.plot(t.x, t.y, color=t.color, ls=DASHES[t.dash][1], lw=t.width * 0.75, label=label)
    ax.set_xlabel(chart.xlabel)
    ax.xaxis.set_major_formatter(FuncFormatter(_thousands))
    ax.yaxis.set_major_formatter(FuncFormatter(_thousands))


DRAW = {"lines": _mpl_lines, "hbar": _mpl_hbar, "points": _mpl_points, "xy": _mpl_xy}


def _rgba(hex_colour, alpha):
    h = hex_colour.lstrip("#")
    return f"rgba({int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha})"


def _hover_x(chart):
    return "%{x|%d %b %Y}" if chart.xlabel == "date" else "%{x}"


def _plotly_lines(fig, chart):
    for t in chart.traces:
        if t.low is not None:
            fig.add_trace(go.Scatter(x=t.x, y=t.high, mode="lines", line=dict(width=0), legendgroup=t.name,
                                     showlegend=False, hoverinfo="skip", name=t.name + " 95%"))
            fig.add_trace(go.Scatter(x=t.x, y=t.low, mode="lines", line=dict(width=0), fill="tonexty",
                                     fillcolor=_rgba(t.color, 0.15), legendgroup=t.name, showlegend=False,
                                     hoverinfo="skip", name=t.name + " 5%"))
        fig.add_trace(go.Scatter(x=t.x, y=t.y, mode="lines", name=t.name, legendgroup=t.name, showlegend=t.legend,
                                 line=dict(color=t.color, dash=DASHES[t.dash][0], width=t.width),
                                 hovertemplate=_hover_x(chart) + ": %{y:,.3~f}<extra>" + html.escape(t.name) + "</extra>"))
    for date, label in merged_notes(chart.notes):
        fig.add_vline(x=date, line=dict(color="#777", dash="dot", width=1))
        fig.add_annotation(x=date, y=1, yref="paper", text=html.escape(label), showarrow=False, textangle=-90,
                           xanchor="right", yanchor="top", font=dict(size=10))
    fig.update_xaxes(title_text=chart.xlabel, range=list(chart.x_range) if chart.x_range else None,
                     tickformat="%b %Y" if chart.xlabel == "date" else None)
    fig.update_yaxes(title_text=chart.ylabel, tickformat=",")


def _plotly_hbar(fig, chart):
    for t in chart.traces:
        fig.add_trace(go.Bar(x=t.y, y=t.x, orientation="h", name=t.name, marker_color=t.color, showlegend=t.legend,
                             hovertemplate="%{y}: %{x:,.3g}<extra>" + html.escape(t.name) + "</extra>"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text=chart.xlabel, tickformat=",")
    fig.update_layout(barmode="group")


def _plotly_points(fig, chart):
    """Numeric positions with category tick labels, so traces sit side by side (as in the PNG)."""
    n = len(chart.traces)
    for i, t in enumerate(chart.traces):
        pos = np.arange(len(t.x)) + (i - (n - 1) / 2) * 0.6 / max(n, 1)
        err = None
        if t.low is not None:
            y = np.asarray(t.y, dtype=float)
            err = dict(type="data", symmetric=False, array=np.asarray(t.high, dtype=float) - y,
                       arrayminus=y - np.asarray(t.low, dtype=float))
        fig.add_trace(go.Scatter(x=pos, y=t.y, mode="markers", name=t.name, error_y=err, showlegend=t.legend,
                                 marker=dict(color=t.color, size=8, symbol=t.marker), customdata=list(t.x),
                                 hovertemplate="%{customdata}: %{y:.3f}<extra>" + html.escape(t.name) + "</extra>"))
    labels = chart.traces[0].x
    fig.update_xaxes(title_text=chart.xlabel, tickvals=list(range(len(labels))), ticktext=list(labels))
    fig.update_yaxes(title_text=chart.ylabel)


def _plotly_xy(fig, chart):
    for t in chart.traces:
        style = (dict(marker=dict(color=t.color, size=2 * t.width, opacity=t.opacity)) if t.mode == "markers" else
                 dict(line=dict(color=t.color, dash=DASHES[t.dash][0], width=t.width)))
        fig.add_trace(go.Scatter(x=t.x, y=t.y, mode=t.mode, name=t.name, showlegend=t.legend, **style,
                                 hovertemplate="%{x:,.4~g}, %{y:,.4~g}<extra>" + html.escape(t.name) + "</extra>"))
    fig.update_xaxes(title_text=chart.xlabel, tickformat=",")
    fig.update_yaxes(title_text=chart.ylabel, tickformat=",")


# The template as an object: named by its string, plotly deep-copies the registered template for every
# figure (0.03 s each, a third of a second for a sweep report's charts); the object is copied more cheaply.
TEMPLATE = pio.templates["plotly_white"]

PLOTLY = {"lines": _plotly_lines, "hbar": _plotly_hbar, "points": _plotly_points, "xy": _plotly_xy}


def _plotly(chart):
    fig = go.Figure()
    PLOTLY[chart.kind](fig, chart)
    if chart.zero_line and chart.kind != "hbar":
        fig.add_hline(y=0, line=dict(color="#999", width=1))
    fig.update_layout(title=dict(text=html.escape(chart.title), x=0.01), height=chart.height,
                      margin=dict(l=60, r=20, t=50, b=50), template=TEMPLATE,
                      legend=dict(font=dict(size=11)), hovermode="closest")
    return fig


def plotly_script():
    """plotly.js itself, inline, so the report works offline."""
    return f'<script type="text/javascript">{_plotly_js()}</script>'


DEBIAN_PLOTLY_JS = "/usr/share/python3-plotly/plotly.js"  # where Debian's python3-plotly keeps it


def _plotly_js():
    """plotly.js from the installed plotly, without importing plotly.offline (which pulls in IPython)."""
    try:
        return pkgutil.get_data("plotly", "package_data/plotly.min.js").decode("utf-8")  # pip's plotly
    except OSError:
        pass
    try:
        with open(DEBIAN_PLOTLY_JS, encoding="utf-8") as f:
            return f.read()
    except OSError:
        from plotly.offline import get_plotlyjs
        return get_plotlyjs()
