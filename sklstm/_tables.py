"""Reading time-ordered tables: values, column labels, index, and what follows the index."""

import warnings
from numbers import Integral

import numpy as np
import pandas as pd

from ._validation import check_numeric_dtypes

__all__ = ["as_pandas", "as_table", "check_numeric_columns", "check_time_order",
           "columns_reordered", "consecutive_rows", "future_index", "inferred_offset", "is_time_index",
           "resolve_columns", "table_library"]


def as_pandas(data):
    """A polars or pyarrow table, series or array as pandas; anything else unchanged.

    numpy read their values and dropped their column names, so ``target="sales"``
    was refused as "not a column" and a series-id column could not be found;
    from a pyarrow table numpy also took dates as epoch nanoseconds and numeric
    text as numbers, without a word. Converted, they meet pandas' checks.
    polars is converted column by column from ``to_numpy()``, so its own
    ``to_pandas()`` and its pyarrow requirement are not needed; polars has no
    index: dates stay a column (refused as values, with the fix: make them the
    index in pandas). pyarrow's own ``to_pandas()`` restores the index of a
    table made from pandas (``pa.Table.from_pandas(df)``).
    """
    if isinstance(data, (pd.DataFrame, pd.Series, np.ndarray)):
        return data
    library, kind = table_library(data), type(data).__name__
    if library == "pyarrow" and hasattr(data, "to_pandas"):
        converted = data.to_pandas()  # Table, RecordBatch: a DataFrame; (Chunked)Array: a Series
        return converted if isinstance(converted, (pd.DataFrame, pd.Series)) else data
    if library != "polars":
        return data
    if kind == "DataFrame":
        return pd.DataFrame({name: data.get_column(name).to_numpy() for name in data.columns})
    if kind == "Series":
        return pd.Series(data.to_numpy(), name=data.name)
    if kind == "LazyFrame":  # numpy said only "setting an array element with a sequence"
        raise TypeError("a polars LazyFrame holds a query, not its rows; call .collect() first.")
    return data


def table_library(data):
    """The top-level module of ``data``'s type: ``"polars"``, ``"pyarrow"``, ``"pandas"``, ..."""
    return type(data).__module__.split(".")[0]


def is_time_index(index):
    """A DatetimeIndex, PeriodIndex or TimedeltaIndex: an index that says when each row is.

    A TimedeltaIndex (time elapsed since a start: a test run, a sensor log) is
    read like a DatetimeIndex: it was an index of plain labels, so rows out of
    order were framed as they stood and ``forecast`` answered a bare array.
    """
    return isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex, pd.TimedeltaIndex))


def future_index(index, periods):
    """The ``periods`` labels that would follow ``index`` (None when they cannot be told).

    Known for a PeriodIndex, a regular DatetimeIndex or TimedeltaIndex (its
    ``freq``, or one pandas can infer) and an integer index with a constant,
    non-zero step.
    """
    if index is None or len(index) == 0:
        return None
    if isinstance(index, pd.PeriodIndex):
        return pd.period_range(index[-1] + 1, periods=periods, freq=index.freq, name=index.name)
    if isinstance(index, (pd.DatetimeIndex, pd.TimedeltaIndex)):
        offset = inferred_offset(index)
        if offset is None:
            return None
        make = pd.date_range if isinstance(index, pd.DatetimeIndex) else pd.timedelta_range
        return make(index[-1] + offset, periods=periods, freq=offset, name=index.name)
    if len(index) >= 2 and pd.api.types.is_integer_dtype(index.dtype):
        step = index[-1] - index[-2]
        if step:
            return pd.RangeIndex(index[-1] + step, index[-1] + step * (periods + 1), step,
                                 name=index.name)
    return None


def inferred_offset(index):
    """A DatetimeIndex's (or TimedeltaIndex's) step as a pandas offset.

    Its ``freq``, else what pandas infers, else None. Only an increasing index
    of three or more rows can be inferred.
    """
    if index.freq is not None:
        return pd.tseries.frequencies.to_offset(index.freq)
    if len(index) < 3 or not index.is_monotonic_increasing:
        return None
    with warnings.catch_warnings():
        # pandas 3 warns (Pandas4Warning) on every call that infer_freq will return an offset
        # instead of a string; to_offset reads either, so the warning says nothing to a user
        warnings.filterwarnings("ignore", message="A future version of pandas will return")
        freq = pd.infer_freq(index)
    return None if freq is None else pd.tseries.frequencies.to_offset(freq)


def consecutive_rows(index):
    """Whether ``index`` shows its rows to be consecutive steps (False when it cannot tell).

    No index (numpy), or labels that are neither times nor integers: the rows
    are the steps, as the framing reads them. A PeriodIndex: no period
    skipped. A DatetimeIndex: a regular one (its ``freq``, or one pandas
    infers; business days less a holiday cannot tell a cross-validation
    fold's missing rows from the calendar's). Integers: one constant step
    (a fold of a RangeIndex cut by a shuffled ``KFold`` has jumps).
    """
    if index is None or len(index) < 2:
        return True
    if isinstance(index, pd.PeriodIndex):
        return bool((index[1:] == index[:-1] + 1).all())
    if isinstance(index, (pd.DatetimeIndex, pd.TimedeltaIndex)):
        return inferred_offset(index) is not None
    if pd.api.types.is_integer_dtype(index.dtype):
        steps = np.diff(np.asarray(index))
        return bool(steps[0] != 0 and (steps == steps[0]).all())
    return True


def check_time_order(index, name="data"):
    """Refuse a time index (:func:`is_time_index`) whose rows are not consecutive steps in time.

    A window is a run of consecutive rows, so rows out of time order or a
    time given twice would be framed into windows that never happened. A
    PeriodIndex also says which period must follow each row, so a skipped
    period is refused too; a DatetimeIndex without a ``freq`` cannot tell a
    gap from an irregular calendar (business days), so its rows are read as
    consecutive steps, as documented.
    """
    if not is_time_index(index) or len(index) < 2:
        return
    if not (index.is_monotonic_increasing and index.is_unique):
        raise ValueError(
            f"{name} has rows out of time order or a repeated time in its "
            f"{type(index).__name__}; windows are runs of consecutive rows, so sort it and drop "
            "repeats first, e.g. df.sort_index() and df[~df.index.duplicated()]"
            + (" (inside a search that draws rows at random, such as HalvingGridSearchCV's "
               "resource='n_samples', halve over an epochs parameter instead)."
               if name == "X" else ".")
        )
    if isinstance(index, pd.PeriodIndex):
        skipped = np.flatnonzero(index[1:] != index[:-1] + 1)
        if len(skipped):
            before, after = index[skipped[0]], index[skipped[0] + 1]
            raise ValueError(
                f"{name} skips periods between {before} and {after} ({len(skipped)} gap(s)); "
                "windows are runs of consecutive rows, so fill the missing periods first, e.g. "
                "df.reindex(pd.period_range(df.index[0], df.index[-1], freq=df.index.freq))"
                ".interpolate()."
            )


def columns_reordered(given, expected):
    """Whether the labels ``given`` are those of ``expected`` in another order.

    What a reader of columns by position must refuse; other labels altogether are not a
    reordering (compared as text, so that mixed label types still sort).
    """
    given, expected = list(given), list(expected)
    return given != expected and sorted(map(str, given)) == sorted(map(str, expected))


def check_numeric_columns(frame, name):
    """Refuse a DataFrame column that is not plain numbers (dates, booleans, text), naming it."""
    check_numeric_dtypes(frame, name)
    bad = [c for c, dt in frame.dtypes.items() if not pd.api.types.is_numeric_dtype(dt)]
    if bad:
        raise TypeError(
            f"{name} has non-numeric columns {bad}; encode or drop them before framing "
            "(every column of the series must be numeric)."
        )


def as_table(data, name="data"):
    """Return ``(values, column_labels, index)`` for a 1-D or 2-D series.

    Dates, complex numbers, booleans, text and duplicate column labels are
    refused with the fix in the message: each would otherwise be converted
    to numbers that mean something else.
    """
    if isinstance(data, pd.Series):
        label = data.name if data.name is not None else 0
        frame = data.to_frame(name=label)
    elif isinstance(data, pd.DataFrame):
        frame = data
    else:
        frame = None
    if frame is not None:
        duplicated = frame.columns[frame.columns.duplicated()].unique().tolist()
        if duplicated:
            raise ValueError(
                f"{name} has duplicate column labels {duplicated}; a column named twice cannot "
                "be told apart. Rename them (df.columns = [...]) before framing."
            )
        check_numeric_columns(frame, name)
        values = frame.to_numpy(dtype=np.float64)
        columns = list(frame.columns)
        index = frame.index
        check_time_order(index, name)
    else:
        check_numeric_dtypes(data, name)
        try:
            values = np.asarray(data, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"{name} must be numeric (a list, array, Series or DataFrame of numbers): {exc}"
            ) from None
        if values.ndim == 1:
            values = values[:, None]
        if values.ndim != 2:
            raise ValueError(
                f"{name} must be 1-D (one series) or 2-D (time steps x series); got "
                f"{values.ndim}-D with shape {values.shape}."
            )
        columns = list(range(values.shape[1]))
        index = None
    if not np.isfinite(values).all():
        raise ValueError(
            f"{name} contains NaN or infinite values; fill or drop them first "
            "(for example with pandas' interpolate() or dropna())."
        )
    return values, columns, index


def _position(item, columns, param):
    if isinstance(item, (bool, np.bool_)) and not any(c is item for c in columns):
        raise TypeError(
            f"{param}={item!r} is a bool, not a column; name the column by its label or its "
            "position (an int)."
        )
    # exact label match; True == 1 must not select column 1
    found = [i for i, c in enumerate(columns)
             if isinstance(c, (bool, np.bool_)) == isinstance(item, (bool, np.bool_))
             and _same_label(c, item)]
    if found:
        return found[0]
    if isinstance(item, Integral) and -len(columns) <= item < len(columns):
        return int(item) % len(columns)
    raise ValueError(
        f"{param}={item!r} is not a column of the data; choose a name or position among "
        f"{columns}."
    )


def _same_label(column, item):
    try:
        return bool(column == item)
    except (TypeError, ValueError):
        return False


def resolve_columns(spec, columns, param):
    """Positions of the columns named by ``spec``: one label or position, or a list of them.

    A tuple is one label (a MultiIndex column), never several columns: pass
    several columns as a list.
    """
    if spec is None:
        return None
    if isinstance(spec, tuple):
        if not any(_same_label(c, spec) for c in columns):
            raise ValueError(
                f"{param}={spec!r} is not a column label; a tuple names one MultiIndex column. "
                "Pass several columns as a list."
            )
        items = [spec]
    elif isinstance(spec, (list, np.ndarray, pd.Index)):
        items = list(spec)
    else:
        items = [spec]
    positions = [_position(item, columns, param) for item in items]
    if not positions:
        raise ValueError(f"{param} must name at least one column.")
    if len(set(positions)) != len(positions):
        raise ValueError(f"{param}={spec!r} names a column more than once.")
    return positions
