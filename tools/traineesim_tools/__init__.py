"""Analysis tools for traineesim run files (docs/OUTPUT.md)."""
from .load import RunFileError, census_by_label, load_comparison, load_run, load_sweep  # noqa: F401
