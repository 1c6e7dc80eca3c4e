"""Panels of many series: windows within each series, walk-forward folds cut by date.

A panel arrives long, as pandas users hold it: a ``(series_id, time)``
MultiIndex, or a column naming the series beside a time index. Every
function here splits it into one time-ordered table per series, so that the
single-series machinery of :mod:`sklstm.windowing` never sees two series in
one window.
"""

import hashlib
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.model_selection import BaseCrossValidator, TimeSeriesSplit
from sklearn.utils._param_validation import Interval, validate_params

from ._tables import as_pandas, is_time_index

__all__ = ["PanelTimeSeriesSplit", "check_groups_share_times", "check_shared_times", "for_series",
           "id_column", "is_panel", "panel_fingerprint", "panel_groups", "panel_windows",
           "time_major", "window_index"]


def is_panel(data, series_id):
    """Whether ``data`` is a panel: an id column or level named ``series_id``, or a 2-level index."""
    index = getattr(data, "index", None)
    if isinstance(index, pd.MultiIndex) and index.nlevels != 2:
        raise ValueError(
            f"the data has a {index.nlevels}-level MultiIndex; a panel's index is "
            "(series_id, time). Drop or reset the other levels."
        )
    if series_id is not None:
        id_column(data, series_id)  # refuses a label that is neither the id column nor level
        return True
    return isinstance(index, pd.MultiIndex)


def id_column(data, series_id):
    """The column of ``data`` holding each row's series id, or None when the index holds it.

    ``series_id`` may name a column of a long DataFrame, or the first level
    of a ``(series_id, time)`` MultiIndex (as pandas users name it:
    ``df.index.names == ["store", "month"]``); ``None`` reads the ids from
    that first level. A label that is neither is refused, naming both.

    Parameters
    ----------
    data : DataFrame or Series
    series_id : label or None

    Returns
    -------
    column : label or None

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.panels import id_column
    >>> index = pd.MultiIndex.from_product([["a", "b"], [1, 2]], names=["store", "t"])
    >>> print(id_column(pd.DataFrame({"sales": range(4)}, index=index), "store"))
    None
    >>> id_column(pd.DataFrame({"store": ["a", "a"], "sales": [1, 2]}), "store")
    'store'
    """
    if series_id is None:
        return None
    index = getattr(data, "index", None)
    names = list(index.names) if isinstance(index, pd.MultiIndex) else []
    columns = list(data.columns) if isinstance(data, pd.DataFrame) else []
    in_columns = isinstance(data, pd.DataFrame) and series_id in data.columns
    if in_columns and names[:1] == [series_id]:
        raise ValueError(
            f"series_id={series_id!r} names both a column and the first level of the index; "
            "drop one, e.g. df.droplevel(0) or df.drop(columns=...)."
        )
    if in_columns:
        return series_id
    if names[:1] == [series_id]:
        return None
    if len(names) == 2 and names[1] == series_id:
        raise ValueError(
            f"series_id={series_id!r} names the second level of the index, but a panel is "
            "indexed (series_id, time); swap the levels first: df.swaplevel().sort_index()."
        )
    if not isinstance(data, pd.DataFrame) and not names:
        raise TypeError(
            f"series_id={series_id!r} names a column, so the data must be a DataFrame "
            f"holding it; got {type(data).__name__}. Pass a long DataFrame, or "
            "series_id=None for one series."
        )
    raise ValueError(
        f"series_id={series_id!r} is neither a column of the data ({columns}) nor the name of "
        f"the first level of a (series_id, time) MultiIndex ({names or 'none'}); name one of "
        "them, or pass series_id=None when the ids are the index's first level."
    )


def panel_groups(data, series_id):
    """One ``(series_id, row_positions, table)`` per series, in order of first appearance.

    ``table`` holds the series' rows without the id (its index is the time
    level, or the data's index when the id is a column). Rows of a series
    must be in time order (they may be interleaved with other series'); a
    series whose index is not increasing is refused, naming it.
    """
    column = id_column(data, series_id)
    if column is None:
        if not isinstance(getattr(data, "index", None), pd.MultiIndex):
            # a per-series table (or an array) where a panel was expected: without this the
            # level lookup below fails with pandas' "Too many levels" IndexError
            raise ValueError(
                "a panel's rows need a (series_id, time) MultiIndex, or a series_id column "
                f"named by series_id=...; got {type(getattr(data, 'index', data)).__name__}. "
                "Index them like the panel, one row per (series id, time)."
            )
        frame = data.to_frame() if isinstance(data, pd.Series) else data
        levels = [frame.index.get_level_values(k) for k in (0, 1)]
        if is_time_index(levels[0]) and not is_time_index(levels[1]):
            raise ValueError(
                f"the panel's MultiIndex is ({frame.index.names[0]!r}: times, "
                f"{frame.index.names[1]!r}: ids), but a panel is indexed (series_id, time); "
                "swap the levels first: df.swaplevel().sort_index() (if those dates are really "
                "series ids, move them to a column and name it with series_id=...)."
            )
        ids = levels[0]
        frame = frame.droplevel(0)
        where = f"the first level ({data.index.names[0]!r}) of the panel's index"
    else:
        ids = data[column]
        where = f"series_id column {column!r}"
        frame = data.drop(columns=[column])
    ids = _hashable_ids(ids, where)
    if pd.isna(ids).any():
        # pd.factorize codes a missing id -1, which np.bincount refuses with an error naming
        # neither the panel nor the id
        raise ValueError(f"{where} has missing series ids; fill or drop those rows first.")
    codes, uniques = pd.factorize(np.asarray(ids), sort=False)
    order = np.argsort(codes, kind="stable")
    bounds = np.cumsum(np.bincount(codes, minlength=len(uniques)))[:-1]
    groups = []
    for sid, positions in zip(uniques, np.split(order, bounds)):
        table = frame.iloc[positions]
        if not (table.index.is_monotonic_increasing and table.index.is_unique):
            raise ValueError(
                f"the rows of series {sid!r} are not in increasing time order (or repeat a "
                "time); sort the panel by series and time first, e.g. df.sort_index()."
            )
        groups.append((sid, positions, table))
    return groups


def _hashable_ids(ids, where):
    """The ids, refused when they are tuples (or lists): pandas cannot label a level with them.

    A tuple id (``("NSW", "Food")``) failed deep inside pandas: labelling the windows
    ``(series_id, time)`` raised "isna is not defined for MultiIndex", and ``align`` a
    length mismatch, neither naming the ids.
    """
    if isinstance(ids, pd.MultiIndex):  # a level of tuples reads back as a MultiIndex
        example = ids[0]
    else:
        example = (None if ids.dtype != object
                   else next((v for v in ids if isinstance(v, (tuple, list))), None))
        if example is None:
            return ids
    raise ValueError(
        f"{where} holds tuple series ids (e.g. {tuple(example)!r}); a panel's windows and "
        "forecasts are labelled (series_id, time), and pandas cannot label an index level "
        "with tuples. Join each id into one label first, e.g. "
        "ids.map(lambda parts: '/'.join(map(str, parts)))."
    )


def check_shared_times(ids, times, what):
    """Refuse integer times that no two series share: the rows of a long table, numbered.

    A long panel with a series-id column and pandas' default index gives
    every row its own number, so series ``a`` runs 0..9 and ``b`` 10..19.
    Matching series by time then silently goes wrong: walk-forward folds
    test only the last series, a "common" movement is each series' own, and
    calibration refits train on other series' later rows. Integer times
    shared by several series (steps counted within each series) pass, and
    so do dates, which say when each row is.

    Parameters
    ----------
    ids : array-like or None
        Each row's series id; None when unknown (then every row having its
        own integer time is refused, since one series needs no panel split).
    times : array-like
        Each row's time label.
    what : str
        What matches the series by time, for the message.
    """
    times = pd.Index(times)
    if len(times) < 2 or is_time_index(times) or not pd.api.types.is_integer_dtype(times.dtype):
        return
    if ids is None:
        if not times.is_unique:
            return
        raise ValueError(
            f"{what} cuts a panel at shared times, but every row has its own integer time "
            f"({times[0]} to {times[-1]}): a long panel's row numbers (a default index beside a "
            "series-id column), not times. Put the time column in the index first, e.g. "
            "df.set_index('month'); for one series, TimeSeriesSplit makes these folds."
        )
    codes, uniques = pd.factorize(ids)  # a 1-D array: tuple ids stay whole
    if len(uniques) < 2 or not times.is_unique:
        return  # a time repeated across the panel is shared by two series
    spans = [f"series {uniques[k]!r} runs {times[codes == k].min()} to {times[codes == k].max()}"
             for k in (0, 1)]
    raise ValueError(
        f"{what} matches the series by time, but no two series share one ({spans[0]}, "
        f"{spans[1]}): the index numbers the rows of the long table, not its times. Put the "
        "time column in the index first, e.g. df.set_index('month') beside the series-id "
        "column, or df.set_index(['store', 'month'])."
    )


def check_groups_share_times(groups, what):
    """:func:`check_shared_times` on the series of :func:`panel_groups`."""
    ids = np.empty(len(groups), dtype=object)
    ids[:] = [sid for sid, _, _ in groups]  # tuples stay whole ids
    lengths = [len(table) for _, _, table in groups]
    times = [table.index for _, _, table in groups]
    check_shared_times(np.repeat(ids, lengths), times[0].append(times[1:]), what)


def check_target_rows(groups, n_rows, y):
    """Refuse a panel ``y`` whose row ``i`` belongs to another series than ``X``'s row ``i``.

    ``groups`` are ``X``'s :func:`panel_groups` (``n_rows`` rows), which the
    caller already holds.

    Row-aligned pipelines pair rows by position, as scikit-learn does, so a
    ``y`` sorted differently from ``X`` (by time, say, where ``X`` is sorted by
    series) would silently train each window on another series' target. A
    ``y`` indexed ``(series_id, time)`` says which series each row is; times
    are not compared, since ``y[t]`` may be labelled with the step it
    forecasts. A ``y`` without a MultiIndex (an array) is taken as given.
    """
    index = getattr(y, "index", None)
    if not isinstance(index, pd.MultiIndex) or len(index) != n_rows:
        return
    row_ids = np.empty(n_rows, dtype=object)
    for sid, positions, _ in groups:
        row_ids[positions] = sid
    y_ids = np.asarray(index.get_level_values(0), dtype=object)
    wrong = np.flatnonzero(y_ids != row_ids)
    if len(wrong):
        i = wrong[0]
        raise ValueError(
            f"y's rows are not in X's series order: row {i} of y belongs to series "
            f"{y_ids[i]!r}, row {i} of X to series {row_ids[i]!r} ({len(wrong)} rows differ). "
            "A pipeline pairs X's row i with y's row i, so order y like X first, e.g. "
            "y = y.reindex(X.index)."
        )


def panel_fingerprint(data):
    """Identity of a panel's contents and index, to recognise the fitted table."""
    hashed = pd.util.hash_pandas_object(data, index=True).to_numpy()
    return data.shape, hashlib.blake2b(hashed.tobytes(), digest_size=16).hexdigest()


def window_index(framing, data):
    """The label of each window ``framing.split(data)`` returns: its last input row.

    For a panel, a ``(series_id, time)`` MultiIndex; for one pandas series,
    its index labels. This is what :class:`PanelTimeSeriesSplit` cuts by
    when the windows are 3-D arrays: pass it as ``groups``.

    Parameters
    ----------
    framing : SlidingWindowTransformer
    data : DataFrame or Series
        The table passed to ``framing.split``.

    Returns
    -------
    index : pandas.Index or MultiIndex of length n_windows

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm import SlidingWindowTransformer
    >>> from sklstm.panels import window_index
    >>> panel = pd.DataFrame({"store": ["a"] * 4 + ["b"] * 3, "sales": range(7)},
    ...                      index=[1, 2, 3, 4, 1, 2, 3])
    >>> framing = SlidingWindowTransformer(n_steps_in=2, series_id="store")
    >>> window_index(framing, panel).tolist()
    [('a', 2), ('b', 2), ('a', 3)]
    """
    data = as_pandas(data)
    first = framing.n_steps_in - 1
    if not is_panel(data, framing.series_id):
        if not isinstance(data, (pd.Series, pd.DataFrame)):
            raise TypeError("window_index needs pandas data: its index labels the windows.")
        return data.index[first:first + len(framing.split(data)[1])]
    # the rule split applies, series by series
    return panel_windows(framing, data)[1]


def for_series(series_id, frame, table):
    """``frame(table)`` for one series of a panel; a ``ValueError`` it raises names the series.

    A panel's "too short for one window" must say which of 150 series is short.

    Parameters
    ----------
    series_id : object
        The series' id, as the panel labels it.
    frame : callable
        One-series framing, e.g. ``SlidingWindowTransformer.split``.
    table : DataFrame or Series
        That series' rows.

    Returns
    -------
    result : whatever ``frame(table)`` returns

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import SlidingWindowTransformer
    >>> from sklstm.panels import for_series
    >>> for_series("b", SlidingWindowTransformer(n_steps_in=3).split, np.arange(2.0))
    Traceback (most recent call last):
    ...
    ValueError: series 'b': ...
    """
    try:
        return frame(table)
    except ValueError as exc:
        raise ValueError(f"series {series_id!r}: {exc}") from None


def panel_windows(framing, data):
    """The windows of every series of a panel, in time order, and their labels.

    Each series is framed by ``framing.single_series().split`` (a
    ``ValueError`` it raises is re-raised naming the series); the windows of
    all series are concatenated in :func:`time_major` order and labelled
    ``(series_id, time of the window's last input row)``. Both
    ``SlidingWindowTransformer.split`` and :func:`window_index` read a panel
    through here, so the labels always follow the windows.

    Parameters
    ----------
    framing : SlidingWindowTransformer
    data : DataFrame or Series
        A panel (see :func:`is_panel`).

    Returns
    -------
    windows : tuple of ndarray
        ``(X, y)`` of every series, in time order.
    labels : pandas.MultiIndex of length n_windows
    """
    first, single = framing.n_steps_in - 1, framing.single_series()
    pieces, ids, times = [], [], []
    for sid, _, table in panel_groups(data, framing.series_id):
        pieces.append(for_series(sid, single.split, table))
        count = len(pieces[-1][1])
        ids.extend([sid] * count)
        times.append(table.index[first:first + count])
    times = times[0].append(times[1:])
    order = time_major(times)
    column = id_column(data, framing.series_id)
    names = ([data.index.names[0], data.index.names[-1]] if column is None
             else [column, data.index.name])
    labels = pd.MultiIndex.from_arrays([pd.Index(ids, dtype=object)[order],
                                        times[order]], names=names)
    return tuple(np.concatenate(part)[order] for part in zip(*pieces)), labels


def time_major(times):
    """Positions that put windows stacked series by series into time order.

    ``split`` frames a panel series by series; an estimator that holds out
    its *last* windows (``LSTMForecaster(early_stopping=True)``) must find
    the latest dates of every series there, not the last series. The sort is
    stable: windows of one time keep the series' order of first appearance.

    Parameters
    ----------
    times : pandas.Index
        The time label of each window, the series one after another.

    Returns
    -------
    order : ndarray of int
        Positions into the concatenated windows, in time order.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.panels import time_major
    >>> time_major(pd.Index([1, 2, 3, 2, 3])).tolist()  # series a: 1, 2, 3; b: 2, 3
    [0, 1, 3, 2, 4]
    """
    try:
        codes, _ = pd.factorize(times, sort=True)
    except TypeError as error:
        raise TypeError(
            "the panel's series are labelled with times that cannot be compared with each "
            f"other ({error}); give every series the same kind of time index."
        ) from error
    return np.argsort(codes, kind="stable")


class PanelTimeSeriesSplit(BaseCrossValidator):
    """Walk-forward folds that cut every series of a panel at the same dates.

    :class:`~sklearn.model_selection.TimeSeriesSplit` applied to the sorted
    distinct time labels of the rows: each fold's test rows are those whose
    time falls in its ``test_size`` test periods, its training rows those
    before them (less ``gap`` periods), across all series at once. So no
    training row is dated at or after a test row, and with
    ``gap = n_steps_out - 1`` no training target reaches into the test
    periods (rows are labelled by the last step of their window, as
    :meth:`~sklstm.SlidingWindowTransformer.align` and :func:`window_index`
    label them).

    Series that start late simply have no training rows in the early folds
    (their first windows are tested with the history they have); series
    that end early have no test rows in the later folds. Scores pool every
    test row of a fold.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds (at least 2).
    test_size : int or None, default=None
        Distinct time periods per test fold (``None``: as TimeSeriesSplit).
    gap : int, default=0
        Periods left out between each training part and its test part.
    max_train_size : int or None, default=None
        Most recent periods kept in each training part.

    Notes
    -----
    The time of each row comes from ``groups`` when given, else from the
    last level of ``X``'s MultiIndex, else from ``X``'s index (a long table
    with a series-id column). 3-D window arrays carry no index: pass
    ``groups=window_index(framing, data)`` (to ``cross_validate`` or
    ``GridSearchCV.fit``).

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.panels import PanelTimeSeriesSplit
    >>> index = pd.MultiIndex.from_product([["a", "b"], range(6)], names=["id", "t"])
    >>> X = pd.DataFrame({"x": range(12)}, index=index)
    >>> for train, test in PanelTimeSeriesSplit(n_splits=2, test_size=2).split(X):
    ...     print(sorted(set(X.index[train].get_level_values("t"))),
    ...           sorted(set(X.index[test].get_level_values("t"))))
    [0, 1] [2, 3]
    [0, 1, 2, 3] [4, 5]
    """

    # with sklearn.set_config(enable_metadata_routing=True), a splitter receives ``groups``
    # only when it asks for them (as sklearn's group splitters do); without this, cross_validate
    # refused params={"groups": window_index(...)} as "not routed to any object", so 3-D
    # windows could not be cut at all
    __metadata_request__split = {"groups": True}

    @validate_params(
        {"n_splits": [Interval(Integral, 2, None, closed="left")],
         "test_size": [Interval(Integral, 1, None, closed="left"), None],
         "gap": [Interval(Integral, 0, None, closed="left")],
         "max_train_size": [Interval(Integral, 1, None, closed="left"), None]},
        prefer_skip_nested_validation=True,
    )
    def __init__(self, n_splits=5, *, test_size=None, gap=0, max_train_size=None):
        self.n_splits = n_splits
        self.test_size = test_size
        self.gap = gap
        self.max_train_size = max_train_size

    def get_n_splits(self, X=None, y=None, groups=None):
        """Number of folds."""
        return self.n_splits

    def split(self, X, y=None, groups=None):
        """Yield ``(train, test)`` row positions for each fold.

        Parameters
        ----------
        X : DataFrame, Series or array-like of length n_samples
        y : ignored
        groups : array-like of length n_samples or None
            The time label of each row (required when ``X`` has no index to
            read it from).
        """
        ids, times = _row_times(X, groups)
        check_shared_times(ids, times, "PanelTimeSeriesSplit")
        periods = np.unique(times)
        dates = TimeSeriesSplit(n_splits=self.n_splits, test_size=self.test_size, gap=self.gap,
                                max_train_size=self.max_train_size)
        test_size = self.test_size or len(periods) // (self.n_splits + 1)
        needed = self.n_splits * test_size + self.gap + 1
        if test_size < 1 or len(periods) < needed:
            # TimeSeriesSplit would count "samples": here they are the panel's distinct times
            raise ValueError(
                f"PanelTimeSeriesSplit(n_splits={self.n_splits}, test_size={self.test_size}, "
                f"gap={self.gap}) cuts the panel's distinct times, and it has {len(periods)}; "
                f"these folds need at least {max(needed, self.n_splits + 1)}. Use fewer "
                "splits, a smaller test_size or gap, or a longer panel."
            )
        for train_periods, test_periods in dates.split(periods):
            train = np.flatnonzero(np.isin(times, periods[train_periods]))
            test = np.flatnonzero(np.isin(times, periods[test_periods]))
            yield train, test


def _row_times(X, groups):
    """``(ids, times)`` of X's rows; ``ids`` None when neither X nor groups says them."""
    ids = None
    if groups is not None:
        times = np.asarray(groups)
        if isinstance(groups, pd.MultiIndex):
            ids, times = (np.asarray(groups.get_level_values(k)) for k in (0, -1))
    elif isinstance(getattr(X, "index", None), pd.MultiIndex):
        ids, times = (np.asarray(X.index.get_level_values(k)) for k in (0, -1))
    elif isinstance(X, (pd.DataFrame, pd.Series)):
        times = np.asarray(X.index)
    else:
        raise TypeError(
            "PanelTimeSeriesSplit reads each row's time from X's index; X has none (an "
            "array of windows?). Pass groups=window_index(framing, data), the time of each row."
        )
    n_rows = len(X) if hasattr(X, "__len__") else np.shape(X)[0]
    if times.ndim != 1 or len(times) != n_rows:
        raise ValueError(
            f"groups must give one time label per row of X ({n_rows}); got shape {times.shape}."
        )
    return ids, times
