"""Analysis tools for traineesim run files (docs/OUTPUT.md)."""
from .load import (RunFileError, census_by_label, check_folder, load_comparison, load_folder, load_run,  # noqa: F401
                   load_sweep, read_manifest)
