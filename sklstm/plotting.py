"""Forecast plots: history, forecast and interval bands (matplotlib, an optional extra)."""

import re

import numpy as np
import pandas as pd

from ._validation import is_integer

__all__ = ["plot_forecast"]

_BOUND = re.compile(r"^(.*)_(lower|upper)_([0-9.]+)$")


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(
            "plot_forecast needs matplotlib, an optional extra of sklstm: "
            'pip install "sklstm[plot]" (or pip install matplotlib).'
        ) from None
    return plt


def plot_forecast(history, future, *, ax=None, last=None, title=None):
    """Plot the history, the forecast and its interval bands; return the Axes.

    Parameters
    ----------
    history : pandas Series or one-column DataFrame
        The observed series (the data passed to :func:`~sklstm.forecast`);
        for a panel, one series of it (``panel.loc[series_id, column]``,
        with ``future.loc[series_id]``).
    future : pandas Series or DataFrame
        What :func:`~sklstm.forecast` returned: a Series of points, or the
        DataFrame of ``coverage=`` (a forecast column and its
        ``<label>_lower_<pct>`` / ``<label>_upper_<pct>`` bounds), one series.
    ax : matplotlib Axes or None, default=None
        Where to draw; a new figure when None.
    last : int or None, default=None
        Show only the last ``last`` observations of the history.
    title : str or None, default=None

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")  # no window: draw to a file
    >>> import pandas as pd
    >>> from sklstm import PersistenceForecaster, SlidingWindowTransformer, forecast
    >>> from sklstm.plotting import plot_forecast
    >>> y = pd.Series([1.0, 3, 2, 4, 3, 5, 4, 6, 5, 7, 6, 8],
    ...               index=pd.period_range("2024-01", periods=12, freq="M"), name="sales")
    >>> framing = SlidingWindowTransformer(n_steps_in=2)
    >>> model = PersistenceForecaster(season_length=2).fit(*framing.split(y))
    >>> future = forecast(model, y, 4, framing=framing, coverage=0.8, n_origins=4)
    >>> ax = plot_forecast(y, future, title="sales")
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['history', '80% interval', 'forecast']
    >>> ax.figure.savefig("sales.png")  # doctest: +SKIP
    """
    plt = _pyplot()
    if last is not None and (not is_integer(last) or last < 1):
        # iloc[-0:] is the whole history and iloc[5:] (last=-5) drops its start: both silently
        raise ValueError(
            f"last must be a positive integer (how many observations of the history to show) "
            f"or None for all of it; got {last!r}."
        )
    if isinstance(history, pd.DataFrame) and history.shape[1] == 1:
        history = history.iloc[:, 0]  # one column is one series (panel.loc["a"])
    elif isinstance(history, pd.DataFrame):
        raise TypeError(
            f"plot_forecast draws one series, but history has columns {list(history.columns)}; "
            f"pass one of them, e.g. history[{history.columns[0]!r}], with its forecast."
        )
    if not isinstance(history, pd.Series) or not isinstance(future, (pd.Series, pd.DataFrame)):
        raise TypeError(
            "plot_forecast takes the history as a pandas Series and the future as forecast() "
            "returned it for pandas data (a Series or DataFrame with the future index)."
        )
    if isinstance(history.index, pd.MultiIndex) or isinstance(future.index, pd.MultiIndex):
        sid = (future.index if isinstance(future.index, pd.MultiIndex) else history.index)[0][0]
        raise ValueError(
            "plot_forecast draws one series; the history or future is a panel (a "
            "(series_id, time) MultiIndex). Select one series of both, e.g. "
            f"plot_forecast(history.loc[{sid!r}], future.loc[{sid!r}])."
        )
    if len(history) and len(future) and not future.index[0] > history.index[-1]:
        raise ValueError(
            f"future starts at {future.index[0]}, not after the history's end "
            f"({history.index[-1]}); pass the forecast of the steps that follow this history."
        )
    if isinstance(future, pd.Series):
        future = future.to_frame("forecast")
    bands, points = {}, []
    for column in future.columns:
        match = _BOUND.match(str(column))
        if match:
            bands.setdefault(float(match.group(3)), {})[match.group(2)] = column
        else:
            points.append(column)
    if len(points) != 1:
        raise ValueError(
            f"future holds {len(points)} forecast columns {points}; plot one series at a time "
            "(select its columns, e.g. future.filter(like='in1'))."
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4.5))
    shown = history if last is None else history.iloc[-last:]
    # matplotlib has no converter for pandas Periods (monthly data's usual index): it raised
    # "float() argument must be ... not 'Period'"; the periods' start times stand for them
    shown, future = _plottable(shown), _plottable(future)
    # nor for timedeltas: elapsed time was drawn in nanoseconds (an axis of 0 to 4e13 for ten
    # hours); drawn in the largest unit the history spans at least twice, and labelled
    unit = _elapsed_unit(shown.index)
    if unit is not None:
        shown, future = (frame.set_axis(frame.index / pd.Timedelta(1, unit[0]))
                         for frame in (shown, future))
        ax.set_xlabel(f"elapsed {unit[1]}")
    ax.plot(shown.index, shown.to_numpy(), color="black", linewidth=1.5, label="history")
    for i, level in enumerate(sorted(bands, reverse=True)):
        pair = bands[level]
        if set(pair) != {"lower", "upper"}:
            raise ValueError(f"the {level:g}% interval lacks its lower or upper bound column.")
        ax.fill_between(future.index, future[pair["lower"]].to_numpy(),
                        future[pair["upper"]].to_numpy(), color="tab:blue",
                        alpha=0.15 + 0.15 * i, linewidth=0, label=f"{level:g}% interval")
    ax.plot(future.index, future[points[0]].to_numpy(), color="tab:blue", linewidth=2,
            label="forecast")
    ax.set_title(title or "Forecast")
    ax.legend(loc="upper left")
    if np.issubdtype(np.asarray(shown.index).dtype, np.datetime64):
        ax.figure.autofmt_xdate()
    return ax


_UNITS = (("D", "days"), ("h", "hours"), ("min", "minutes"), ("s", "seconds"))


def _elapsed_unit(index):
    """For a TimedeltaIndex, the pandas unit to draw it in and its name; else None."""
    if not isinstance(index, pd.TimedeltaIndex):
        return None
    span = index.max() - index.min() if len(index) else pd.Timedelta(0)
    for code, name in _UNITS:
        if span >= 2 * pd.Timedelta(1, code):
            return code, name
    return _UNITS[-1]


def _plottable(frame):
    """``frame`` with a PeriodIndex replaced by its periods' start times (others unchanged)."""
    if isinstance(frame.index, pd.PeriodIndex):
        return frame.set_axis(frame.index.to_timestamp())
    return frame
