"""Analysis tools for traineesim run files (docs/OUTPUT.md)."""
from .load import load_run, load_sweep, census_by_label  # noqa: F401
