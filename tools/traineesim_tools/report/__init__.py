"""The HTML report, policy first (tools/report.py is its command line).

Small modules, each one part of the page: numbers (formatting for people),
charts (one spec drawn as an interactive plotly chart and as PNG/SVG for
slides), headline (a box per policy), policy_info, supply, supervision,
diversity, retention, sweep (fans per sample, tornado), page (the HTML),
build (reads a results folder and puts the sections together).
"""
