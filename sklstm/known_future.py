"""Known-future inputs: calendars, weather forecasts and planned values beside the past window.

A window that knows its future ("extended window") has ``n_steps_in +
n_steps_out`` steps: the past window, then one step per forecast step, in
which the known-future columns hold their values at that step and every
other column holds 0 (its future is unknown). Every architecture and
:class:`~sklstm.RelativeRegressor` read the split with ``future_steps =
n_steps_out``; a row-aligned table carries the future values as lead columns
named ``"temp(t+1)"``, ..., appended by
:meth:`~sklstm.SlidingWindowTransformer.align`.
"""

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from ._tables import check_numeric_columns, is_time_index

__all__ = ["future_block", "known_future_values", "lead_names", "leads_to_block",
           "split_future_steps"]


def future_block(values, window_columns, known, offset, n_steps_out, first_row, n_windows):
    """``(n_windows, n_steps_out, len(window_columns))``: known values at each target step.

    Window ``i`` ends at row ``first_row + i``; its forecast steps are rows
    ``first_row + i + offset`` onwards. Columns not in ``known`` are 0.
    """
    steps = sliding_window_view(values[offset:, window_columns], n_steps_out, axis=0)
    block = steps[first_row:first_row + n_windows].transpose(0, 2, 1).copy()
    unknown = [j for j, column in enumerate(window_columns) if column not in known]
    block[:, :, unknown] = 0.0
    return block


def lead_names(names, offset, n_steps_out):
    """Lead column names ``"name(t+h)"``, forecast step major (as in the block)."""
    return [f"{name}(t+{offset + h})" for h in range(n_steps_out) for name in names]


def leads_to_block(leads, known_positions, n_columns, n_steps_out):
    """Lead columns ``(n, n_steps_out * n_known)`` into a block ``(n, n_steps_out, n_columns)``."""
    block = np.zeros((len(leads), n_steps_out, n_columns))
    block[:, :, known_positions] = leads.reshape(len(leads), n_steps_out, len(known_positions))
    return block


def split_future_steps(windows, future_steps, param="future_steps"):
    """``(past, future)`` parts of extended 3-D windows; refuses a window with no past."""
    if future_steps == 0:
        return windows, windows[:, :0]
    if future_steps >= windows.shape[1]:
        raise ValueError(
            f"{param}={future_steps} leaves no past steps in windows of {windows.shape[1]} "
            "steps; it must be the framing's n_steps_out (SlidingWindowTransformer with "
            "known_future), below the window length."
        )
    return windows[:, :-future_steps], windows[:, -future_steps:]


def known_future_values(future, columns, index, horizon, data_index):
    """The known-future values for the ``horizon`` steps after the data, checked.

    ``future`` is a DataFrame (or mapping) with the known columns; rows are
    matched by index label when the data's future dates can be told, else
    taken in order. Missing columns or dates raise a ValueError naming them.
    """
    if future is None:
        raise ValueError(
            f"the framing declares known_future={columns}; pass their values for the "
            f"{horizon} forecast steps as forecast(..., future=DataFrame with those columns)."
        )
    frame = future if isinstance(future, pd.DataFrame) else pd.DataFrame(future)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        hint = ("" if isinstance(future, (pd.DataFrame, dict)) else
                " (an array has no column labels: pass a DataFrame or a dict keyed by column)")
        raise ValueError(
            f"future lacks the known-future columns {missing}; it must hold {columns} for the "
            f"{horizon} forecast steps{hint}."
        )
    frame = frame[columns]
    # text failed unnamed in the float conversion below, dates would convert to epoch numbers
    check_numeric_columns(frame, "future")
    if index is not None and is_time_index(data_index):
        _check_future_times(frame.index, data_index, index)
    if index is not None and (isinstance(frame.index, type(data_index))
                              and not isinstance(frame.index, pd.RangeIndex)):
        if not frame.index.is_unique:  # .loc would return every copy and shift later steps
            repeated = frame.index[frame.index.duplicated()].unique()
            raise ValueError(
                f"future repeats the time(s) {', '.join(str(t) for t in repeated[:5])}; give "
                "one row per forecast step (e.g. future[~future.index.duplicated()])."
            )
        absent = index.difference(frame.index)
        if len(absent):
            shown = ", ".join(str(label) for label in absent[:5])
            zone = getattr(index, "tz", None)
            hint = ""
            if isinstance(index, pd.DatetimeIndex) and (frame.index.tz is None) != (zone is None):
                # a naive time never equals an aware one, so every step read as missing
                hint = (f" (future's times are {frame.index.tz or 'tz-naive'} and the data's "
                        f"{zone or 'tz-naive'}: "
                        + (f"future.tz_localize({str(zone)!r})" if zone is not None else
                           "future.tz_localize(None)") + " makes them comparable)")
            raise ValueError(
                f"future has no rows for {len(absent)} of the forecast steps ({shown}"
                f"{', ...' if len(absent) > 5 else ''}); give {columns} for every step from "
                f"{index[0]} to {index[-1]}{hint}."
            )
        frame = frame.loc[index]
    elif len(frame) < horizon:
        raise ValueError(
            f"future has {len(frame)} rows of {columns}; the forecast needs {horizon} (one per "
            "forecast step)."
        )
    values = frame.iloc[:horizon].to_numpy(dtype=np.float64)
    if not np.isfinite(values).all():
        raise ValueError("future holds NaN or infinite values for the known-future columns.")
    return values


def _check_future_times(labels, data_index, steps):
    """Refuse a future indexed so that its rows would be taken in order, whatever its times.

    ``labels``: the future's index; ``data_index``: the data's time index;
    ``steps``: the forecast steps' times.
    """
    if is_time_index(labels) and type(labels) is not type(data_index):
        # monthly periods against a date_range: the rows were taken in order, whatever the dates
        raise ValueError(
            f"future is indexed by a {type(labels).__name__} and the data by a "
            f"{type(data_index).__name__}, so its rows cannot be matched to the forecast steps "
            f"({steps[0]} to {steps[-1]}); index future like the data (e.g. "
            "future.to_period(freq) or future.to_timestamp())."
        )
    if (len(labels) and not is_time_index(labels) and not isinstance(labels, pd.MultiIndex)
            and not pd.api.types.is_numeric_dtype(labels.dtype)):
        # dates read from a CSV as text: the rows were taken in order, earlier dates and all
        raise ValueError(
            f"future's index holds {type(labels[0]).__name__} labels such as {labels[0]!r}, "
            f"not times, so its rows cannot be matched to the forecast steps ({steps[0]} to "
            f"{steps[-1]}); convert it like the data's index first (e.g. "
            "future.index = pd.to_datetime(future.index))."
        )
