"""Analysis tools for traineesim run files (docs/OUTPUT.md)."""
from .load import (RunFileError, census_by_label, check_folder, load_comparison, load_folder,  # noqa: F401
                   load_results, load_run, load_sweep, read_manifest)
