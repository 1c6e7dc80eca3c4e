"""Where a row-aligned table's first windows take their past: the rows fitted before it, or none.

:class:`~sklstm.SlidingWindowTransformer` records, at ``fit``, what can say which rows follow
the fitted table (the period after it, its last time, the row number after it, a fingerprint of
the table itself). At ``transform`` :func:`check_continuation` decides from the new table's index
whether it continues them (its first windows then take the fitted last rows as their past), stands
alone (``history="restart"``: padded), or cannot be told, which raises rather than guesses.
"""

import hashlib

import numpy as np
import pandas as pd

from ._tables import future_index, is_time_index

__all__ = ["check_continuation", "next_row_number", "table_fingerprint", "time_bounds"]


def check_continuation(history, index, next_label, last_label, what, counted=None):
    """True when ``what`` (X, or one series of it) continues the rows fitted before it.

    Raises a ValueError, naming the fix, when it cannot be told or must not
    be continued (rows skipped, a start inside the fitted rows). ``history``:
    the transformer's parameter, ``"auto"`` or ``"continue"`` (``"restart"``
    never asks). ``next_label``: the period after the fitted rows, when their index
    says it; ``last_label``: their last time, when they had a time index;
    ``counted``: the row number after them, when an integer index counted
    them one by one (a DataFrame's default index, as folds keep it).
    """
    first = index[0] if index is not None and len(index) else None
    dated = is_time_index(index) and next_label is not None
    # a time index, but no frequency said which time follows the fitted rows
    after_last_only = not dated and is_time_index(index) and last_label is not None
    # on a default integer index (as folds keep it) only "continue" is checked, and only
    # for skipped rows: a table whose index was reset (to 0 again) may be the next rows
    counts = (history == "continue" and counted is not None and first is not None
              and pd.api.types.is_integer_dtype(index.dtype))
    following = next_label if dated else counted if counts else None
    if following is not None and first > following:
        # a CV gap (gap=n_steps_out - 1): the skipped rows are in neither fold, and
        # neither "continue" (windows would jump the gap) nor "restart" (padded) is right
        unit = "period" if dated else "row"
        raise ValueError(
            f"{what} starts at {'' if dated else 'row '}{first}, after "
            f"{'' if dated else 'row '}{following}, the {unit} after the rows seen "
            "in fit: rows were skipped (a cross-validation gap?), and a row-aligned "
            "transformer cannot window across rows it never saw. For multi-step targets "
            "with gap=n_steps_out - 1, cross-validate on 3-D windows instead: "
            "X, y = framing.split(data), with TimeSeriesSplit(gap=...) on them, or for a "
            "panel PanelTimeSeriesSplit(gap=...) with groups=window_index(framing, data). "
            "For a table of its own, set history='restart'."
        )
    if history == "continue":
        if dated and first != next_label:
            raise ValueError(
                f"history='continue', but {what} starts at {first}, not at {next_label}, the "
                "period after the rows seen in fit; pass the rows that follow them, or "
                "history='restart' for a table of its own."
            )
        if after_last_only and not first > last_label:
            # business days, a gap in fit's rows: a continuation must still start after
            # the fitted rows, or a shuffled KFold's test rows take another fold's history
            raise ValueError(
                f"history='continue', but {what} starts at {first}, not after {last_label}, "
                "the last row seen in fit; pass the rows that follow them (walk-forward "
                "folds, e.g. TimeSeriesSplit, not KFold), or history='restart' for a table "
                "of its own."
            )
        return True
    if dated and first == next_label:
        return True
    if dated:
        where = (f"its index starts at {first!r}; the period after the fitted rows is "
                 f"{next_label!r}")
    elif after_last_only:
        where = ("the rows seen in fit have no regular frequency that would say which time "
                 "follows them")
    else:
        # the usual cause: a scaler before this step returned numpy, dropping the dates
        where = ("it has no DatetimeIndex, PeriodIndex or TimedeltaIndex that would say so; "
                 "if the data had one, a step before this one dropped it: call "
                 "set_output(transform='pandas') on the pipeline")
    raise ValueError(
        f"history='auto' cannot tell whether {what} continues the rows seen in fit "
        f"({where}). Set history='continue' on the SlidingWindowTransformer if X starts "
        "right after them (a walk-forward test fold), or history='restart' if it is a "
        "table of its own (its first windows are then padded)."
    )


def table_fingerprint(values, index):
    """Identity of a table's contents, to recognise the fitted table when it comes back."""
    digest = hashlib.blake2b(np.ascontiguousarray(values).tobytes(), digest_size=16)
    if index is not None:
        digest.update(pd.util.hash_pandas_object(index.to_series(), index=False).to_numpy())
    return values.shape, digest.hexdigest()


def next_row_number(index):
    """``index[-1] + 1`` when ``index`` is integers counting rows one by one, else None."""
    if (index is None or len(index) < 2 or not pd.api.types.is_integer_dtype(index.dtype)
            or not (np.diff(np.asarray(index)) == 1).all()):
        return None
    return index[-1] + 1


def time_bounds(index):
    """``(the period after a table's rows, the time of its last row)`` from its index.

    Either is None when the index cannot tell it: no time index, or (for the
    period after) no regular frequency.
    """
    if not is_time_index(index) or not len(index):
        return None, None
    following = future_index(index, 1)
    return (None if following is None else following[0]), index[-1]
