"""Tables from the engine as pandas DataFrames, labelled as
tools/traineesim_tools.load_run labels run files: every code column, found
by its role and dictionary (never by its name), becomes a Categorical of its
dictionary's labels; route -1 is "initial_stock", any other -1 missing."""
import numpy as np
import pandas as pd

# Labels of the codes that are not in a dictionary (docs/OUTPUT.md).
MISSING_LABEL = {"route": "initial_stock"}


def _labelled(codes, role, labels):
    categories = list(labels)
    if role in MISSING_LABEL:
        categories.append(MISSING_LABEL[role])
        codes = np.where(codes == -1, len(labels), codes)
    return pd.Categorical.from_codes(codes, categories=categories)


def table_frame(columns, dictionaries):
    """columns: [(name, role, dictionary, ndarray)]; dictionaries: {path: [labels]}."""
    data = {}
    for name, role, dictionary, values in columns:
        data[name] = _labelled(values, role, dictionaries[dictionary]) if dictionary else values
    return pd.DataFrame(data, columns=[c[0] for c in columns])


def columns_frame(columns, order=None):
    """A DataFrame from {name: values} in `order` (default: the dict's)."""
    return pd.DataFrame(columns, columns=list(order or columns))
