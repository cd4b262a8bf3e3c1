"""`set={...}` of traineesim.load as the `--set key=value` texts of the command line."""
import datetime
import math
import numbers


def _toml_string(text):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c >= " " or c == "\t" else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


def _value(value, inside_array=False):
    """The text after `=`: TOML for numbers, booleans, dates and lists; a str as is
    (the command line reads it as TOML if it can, as a string otherwise) except
    inside a list, where it is quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        v = float(value)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return _toml_string(value) if inside_array else value
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v, inside_array=True) for v in value) + "]"
    raise TypeError(f"cannot turn {type(value).__name__} {value!r} into a scenario value")


def set_texts(overrides):
    """{"parameters.cohort": 1000, "scenario.name": "x"} -> ["parameters.cohort=1000", "scenario.name=x"]."""
    if overrides is None:
        return []
    if not hasattr(overrides, "items"):
        raise TypeError("set must map key paths to values, e.g. {'parameters.cohort': 1000}")
    texts = []
    for key, value in overrides.items():
        if not isinstance(key, str) or not key:
            raise TypeError(f"set: keys are paths such as 'parameters.cohort', got {key!r}")
        texts.append(f"{key}={_value(value)}")
    return texts
