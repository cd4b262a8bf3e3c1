"""The HTML page: headline first, then one section per topic, then provenance.
plotly.js is inlined once in the head, so the file works offline."""
import html

from .charts import plotly_script

STYLE = """
body{font-family:system-ui,sans-serif;max-width:1150px;margin:1.5em auto;padding:0 1em;color:#222;line-height:1.4}
h1{font-size:1.6em;margin-bottom:0.2em} .sub{color:#555;margin-top:0}
section{margin:2em 0;border-top:1px solid #ddd;padding-top:0.5em}
.headline{border:2px solid #1f77b4;border-radius:8px;padding:0.6em 1em;margin:1em 0;background:#f7fbff}
.headline h3{margin:0.2em 0} .headline .cols{display:grid;grid-template-columns:1.3fr 1fr 1fr;gap:1.2em}
.headline h4{margin:0.5em 0 0.2em;color:#1f77b4} .num{font-size:1.25em}
.description{font-style:italic}
table.t{border-collapse:collapse;font-size:90%;margin:0.5em 0} table.t td,table.t th{padding:2px 8px;
border-bottom:1px solid #ddd;text-align:right} table.t .l{text-align:left}
figure{margin:1em 0} figcaption{font-size:88%;color:#555} .files{white-space:nowrap}
pre{font-size:80%;background:#f6f6f6;padding:1em;overflow:auto} nav a{margin-right:1em}
"""


def section(key, title, body):
    return f'<section id="{key}" data-section="{key}"><h2>{html.escape(title)}</h2>{body}</section>'


def page(title, subtitle, sections):
    nav = "".join(f'<a href="#{k}">{html.escape(t)}</a>' for k, t, _ in sections)
    body = "".join(section(k, t, b) for k, t, b in sections)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{STYLE}</style>{plotly_script()}</head><body>
<h1>{html.escape(title)}</h1><p class="sub">{subtitle}</p><nav>{nav}</nav>
{body}
</body></html>
"""
