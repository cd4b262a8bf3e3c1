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


# Days whose dates datetime64[ns] holds comfortably (about 270 years either way); beyond, NaT.
_MAX_DATE_DAYS = 100_000


def _date_name(column):
    """entry_day -> entry_date, day -> date (as tools/traineesim_tools names them)."""
    return column[: -len("day")] + "date" if column == "day" or column.endswith("_day") else column + "_date"


def _dates(start_date, days):
    """datetime64[ns] of start_date + floor(day); NaT where the day is NaN."""
    days = np.asarray(days, dtype=np.float64)
    usable = np.isfinite(days) & (np.abs(days) <= _MAX_DATE_DAYS)
    whole = np.where(usable, np.floor(np.where(usable, days, 0)), 0).astype(np.int64)
    dates = (np.datetime64(start_date, "D") + whole.astype("timedelta64[D]")).astype("datetime64[ns]")
    dates[~usable] = np.datetime64("NaT")
    return dates


def table_frame(columns, dictionaries, start_date=None):
    """columns: [(name, role, dictionary, ndarray)]; dictionaries: {path: [labels]}.
    With `start_date` ("YYYY-MM-DD"), every column of role `day` gets its date
    beside it, as load_run adds them (docs/OUTPUT.md, "Dates in the loaders")."""
    data, order = {}, []
    for name, role, dictionary, values in columns:
        data[name] = _labelled(values, role, dictionaries[dictionary]) if dictionary else values
        order.append(name)
        if role == "day" and start_date is not None:
            data[_date_name(name)] = _dates(start_date, values)
            order.append(_date_name(name))
    return pd.DataFrame(data, columns=order)


def columns_frame(columns, order=None):
    """A DataFrame from {name: values} in `order` (default: the dict's)."""
    return pd.DataFrame(columns, columns=list(order or columns))
