"""Sliding-window framing of time series: the one engine behind every framing.

Two entry points share the same code:

* :meth:`SlidingWindowTransformer.split` reproduces the tutorial's
  ``split_sequence`` / ``split_sequences`` helpers and returns 3-D windows with
  their targets (rows without a complete window or target are dropped).
* :meth:`SlidingWindowTransformer.transform` is the row-aligned form used
  inside a :class:`~sklearn.pipeline.Pipeline`: every input row ``t`` becomes
  the flattened window of the ``n_steps_in`` rows ending at ``t``, so rows in
  equal rows out and ``y`` stays aligned. :meth:`SlidingWindowTransformer.align`
  builds that ``y`` (the future of each row) from a series.
"""

import copy
from numbers import Integral

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted, validate_data

from ._tables import (as_pandas, as_table, check_time_order, columns_reordered, consecutive_rows,
                      resolve_columns)
from ._validation import check_numeric_dtypes, check_target_is_ahead, fit_or_restore, reject_bool_params
from .history import check_continuation, next_row_number, table_fingerprint, time_bounds
from .known_future import future_block, lead_names, leads_to_block
from .panels import (check_target_rows, for_series, id_column, is_panel, panel_fingerprint,
                     panel_groups, panel_windows)

__all__ = ["SlidingWindowTransformer", "check_column_order", "column_roles", "window_feature_names"]


def window_feature_names(feature_names, n_steps_in):
    """Names of the flattened window columns, oldest step first.

    ``["a", "b"]`` with ``n_steps_in=2`` gives
    ``["a(t-1)", "b(t-1)", "a(t)", "b(t)"]``: the layout is
    ``(n_steps_in, n_features)`` flattened in C order, which is what
    :class:`~sklstm.LSTMForecaster` reshapes back into a sequence.
    """
    lags = [f"(t-{k})" if k else "(t)" for k in range(n_steps_in - 1, -1, -1)]
    return np.asarray([f"{name}{lag}" for lag in lags for name in feature_names], dtype=object)


class SlidingWindowTransformer(TransformerMixin, BaseEstimator):
    """Frame a time series as supervised windows for LSTM forecasting.

    Parameters
    ----------
    n_steps_in : int, default=3
        Number of time steps in each input window.
    n_steps_out : int, default=1
        Number of future steps to forecast (used by :meth:`split` and
        :meth:`align`; :meth:`transform` only builds input windows).
    target : label, int, list or None, default=None
        Target column(s), by DataFrame label or position. ``None`` makes every
        column a target (univariate and parallel framings).
    inputs : label, int, list or None, default=None
        Input column(s). ``None`` means every column when ``target`` is None,
        else every column that is not a target (the tutorial's "multiple
        input series" framing).
    target_offset : {"auto", 0, 1}, default="auto"
        Where the target window starts relative to the last input step:
        ``1`` the step after the window, ``0`` the window's last step.
        ``"auto"`` follows the tutorial: 1 when a target is among the inputs
        (forecasting the future), 0 when it is not (a dependent series).
    history : {"auto", "continue", "restart"}, default="auto"
        Where :meth:`transform` takes the past of its first ``n_steps_in - 1``
        rows from (see Notes). ``"continue"``: ``X`` starts right after the
        rows seen in :meth:`fit` (a walk-forward test fold, the next period),
        so the last rows seen in fit are its history; with time indexes this
        is checked (``X`` must start at the period after them when their
        frequency tells it, else at least after their last time), and with an
        integer index that counted the fitted rows one by one, ``X`` must not
        start past the next row number (a cross-validation gap).
        ``"restart"``: ``X`` is a table of its own; missing steps repeat its
        first row. ``"auto"``: continue when ``X``'s DatetimeIndex,
        PeriodIndex or TimedeltaIndex starts at the period right after the
        fitted one, restart when ``X`` is the fitted table itself, and raise a
        ``ValueError`` otherwise (numpy input, an integer index, a gap),
        rather than guess.
    series_id : label or None, default=None
        Panels of many series (see Notes): the column naming each row's
        series in a long DataFrame whose index is the time, or the name of
        the first level of a ``(series_id, time)`` MultiIndex. ``None``: a
        DataFrame or Series with a two-level ``(series_id, time)`` MultiIndex
        is a panel; anything else is one series.
    known_future : label, int, list or None, default=None
        Columns whose future is known when forecasting (calendar features,
        weather forecasts, planned prices). Each window is extended by
        ``n_steps_out`` steps holding these columns' values at the forecast
        steps and 0 for every other column (see
        :mod:`sklstm.known_future`); they are also inputs of the past
        window. Models read such windows with ``future_steps=n_steps_out``.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns seen by :meth:`fit`.
    history_ : ndarray of shape (n_steps_in - 1, n_features_in_)
        Last rows seen by :meth:`fit` (fewer if ``fit`` saw fewer); for a
        panel, a dict of them by series id.
    history_next_label_ : object or None
        Index label that a table continuing the fitted one starts with (a
        regular DatetimeIndex or TimedeltaIndex, or a PeriodIndex), else None;
        for a panel, a dict by series id.
    feature_names_in_ : ndarray of str
        Column names seen by :meth:`fit`, when they were all strings.

    Notes
    -----
    Row-aligned mode (:meth:`transform`): row ``t`` of the output is the window
    of rows ``t - n_steps_in + 1 .. t`` of the input columns, flattened oldest
    step first, so no row ever sees a later row. The first ``n_steps_in - 1``
    rows of a table have less history than a window holds; ``history`` says
    where it comes from:

    * continuing (a walk-forward test fold right after its training fold):
      the last ``n_steps_in - 1`` rows seen in :meth:`fit`, the true past;
    * restarting: the missing steps repeat the table's first row ("edge"
      padding), so every row still gets a finite window. Training rows at the
      start of a series are padded the same way and are kept for fitting.

    Dates that continue the fitted dates are taken as the same series going
    on; nothing in a table can tell two series apart, so a table of another
    series must be passed with ``history="restart"``. An integer index is
    not taken as time (it is what ``iloc`` slicing and ``reset_index`` give
    to any table), so with numpy or integer-indexed tables ``"auto"`` asks.

    ``fit_transform(X)`` equals ``fit(X).transform(X)``: a table never
    continues itself. Apart from those last rows, nothing is learned.

    Rows are consecutive time steps. A DatetimeIndex, PeriodIndex or
    TimedeltaIndex (elapsed time) out of time order, or giving a time twice,
    is refused, and so is a PeriodIndex that skips a period; a DatetimeIndex
    without ``freq`` is read in row order (it cannot tell a missing day from
    a trading calendar), so fill missing timestamps first
    (``df.asfreq("D").interpolate()``).

    Panels: every series is framed on its own (:mod:`sklstm.panels`), so no
    window, target or padded history ever mixes two series. ``split``
    returns the windows of every series in time order (by the time of each
    window's last input row, series in order of first appearance within a
    time; :func:`sklstm.panels.window_index` labels them), so that the last
    windows, which ``early_stopping`` holds out, are the latest dates of
    every series; ``align`` returns the rows series by series, and
    ``transform`` keeps the input's row order (to early-stop a row-aligned
    pipeline on the latest dates, put ``align``'s rows in time order first:
    ``order = np.argsort(X.index.get_level_values(-1), kind="stable")``,
    then ``X.iloc[order]`` and ``y.iloc[order]``), and a series
    shorter than its windows need is refused by ``split`` (and by
    :func:`~sklstm.forecast`), naming it. In ``transform``, each series
    continues its own fitted rows as ``history`` says; a series not seen in
    ``fit`` starts afresh, and one with fewer rows than a window (a late
    starter cut by a training fold) is padded like the start of any series.
    The id column is not an input: ``n_features_in_`` and
    ``feature_names_in_`` describe the series' own columns.

    In a Pipeline, ``X`` is the input table: ``align``'s ``X``, or a wider
    table from which ``inputs`` (or every column but ``target``, when the
    target is among its columns) are windowed.

    With ``n_steps_out = h > 1``, the targets of the last ``h - 1`` rows of a
    training fold lie in the rows after it: walk-forward splits must leave a
    gap, ``TimeSeriesSplit(gap=h - 1)``, or those targets leak the test fold.

    Examples
    --------
    >>> from sklstm import SlidingWindowTransformer
    >>> X, y = SlidingWindowTransformer(n_steps_in=3).split([10, 20, 30, 40, 50, 60])
    >>> X.shape, y.tolist()
    ((3, 3, 1), [40.0, 50.0, 60.0])
    >>> SlidingWindowTransformer(n_steps_in=2).fit_transform([[1.0], [2.0], [3.0]])
    array([[1., 1.],
           [1., 2.],
           [2., 3.]])
    """

    _parameter_constraints = {
        "n_steps_in": [Interval(Integral, 1, None, closed="left")],
        "n_steps_out": [Interval(Integral, 1, None, closed="left")],
        "target": "no_validation",
        "inputs": "no_validation",
        "target_offset": [StrOptions({"auto"}), Interval(Integral, 0, 1, closed="both")],
        "history": [StrOptions({"auto", "continue", "restart"})],
        "series_id": "no_validation",
        "known_future": "no_validation",
    }

    def __init__(self, n_steps_in=3, n_steps_out=1, *, target=None, inputs=None,
                 target_offset="auto", history="auto", series_id=None, known_future=None):
        self.n_steps_in = n_steps_in
        self.n_steps_out = n_steps_out
        self.target = target
        self.inputs = inputs
        self.target_offset = target_offset
        self.history = history
        self.series_id = series_id
        self.known_future = known_future

    def single_series(self):
        """A copy framing one series of this panel (``series_id=None``), fitted state kept."""
        single = copy.copy(self)
        single.series_id = None
        return single

    def _check_params(self):
        self._validate_params()
        reject_bool_params(self, ("n_steps_in", "n_steps_out", "target_offset"))

    # -- tutorial framing -------------------------------------------------
    def align(self, data):
        """Row-aligned inputs and futures: the ``(X, y)`` a Pipeline is fitted on.

        Row ``t`` of ``X`` holds the input columns at time ``t``; row ``t`` of
        ``y`` holds the target values the forecast made at ``t`` must match
        (``n_steps_out`` steps starting ``target_offset`` after ``t``). Trailing
        rows whose future is not in the data are dropped.

        Parameters
        ----------
        data : array-like of shape (n_timesteps,) or (n_timesteps, n_series)
            Time-ordered observations (list, ndarray, Series or DataFrame).

        Returns
        -------
        X : ndarray or DataFrame of shape (n_rows, n_inputs)
            DataFrame (same index and column names) when ``data`` is pandas.
        y : ndarray or Series/DataFrame of shape (n_rows,), (n_rows, n_steps_out \
                or n_targets) or (n_rows, n_steps_out, n_targets)
            The target axis is dropped when there is one target column, the
            step axis when ``n_steps_out == 1``.
        """
        data = as_pandas(data)
        if is_panel(data, self.series_id):
            return self._align_panel(data)
        values, columns, index, in_cols, tgt_cols, offset = self._frame(data)
        X, y = self._align_arrays(values, in_cols, tgt_cols, offset)
        names = [columns[i] for i in in_cols]
        known = self._known(columns, tgt_cols)
        if known:  # lead columns: the known values at each forecast step of the row
            block = future_block(values, known, known, offset, self.n_steps_out, 0, len(X))
            X = np.concatenate([X, block.reshape(len(X), -1)], axis=1)
            names += lead_names([columns[i] for i in known], offset, self.n_steps_out)
        if index is None:
            return X, y
        rows = index[: len(X)]
        X = pd.DataFrame(X, index=rows, columns=names)
        if y.ndim == 1:
            y = pd.Series(y, index=rows, name=columns[tgt_cols[0]])
        elif y.ndim == 2:
            names = ([columns[i] for i in tgt_cols] if self.n_steps_out == 1
                     else lead_names([columns[tgt_cols[0]]], offset, self.n_steps_out))
            y = pd.DataFrame(y, index=rows, columns=names)
        return X, y

    def split(self, data):
        """Frame ``data`` as the tutorial does: complete windows and their targets.

        Parameters
        ----------
        data : array-like of shape (n_timesteps,) or (n_timesteps, n_series)
            Time-ordered observations (list, ndarray, Series or DataFrame).

        Returns
        -------
        X : ndarray of shape (n_samples, n_steps_in, n_inputs)
        y : ndarray of shape (n_samples,), (n_samples, n_steps_out or n_targets) \
                or (n_samples, n_steps_out, n_targets)
        """
        data = as_pandas(data)
        check_column_order(self, data, "split")
        # time-major for a panel, so that the last windows are the latest of every series
        # (what early_stopping holds out), not the last series
        windows = (panel_windows(self, data)[0] if is_panel(data, self.series_id)
                   else self._split_series(data))
        if isinstance(data, pd.DataFrame):
            # the columns, in their order, that the windows were framed from, recorded once
            # framing them succeeded: the same columns in another order (here or in
            # forecast()) are refused, since a model fitted on these windows reads them by
            # position (an LSTM fed b where it learnt a)
            self._split_columns = list(data.columns)
        return windows

    def _split_series(self, data):
        """``split`` of one series (or several parallel ones): ``(X, y)``."""
        values, columns, _, in_cols, tgt_cols, offset = self._frame(data)
        needed = self.n_steps_in + offset + self.n_steps_out - 1
        if len(values) < needed:
            raise ValueError(
                f"n_steps_in={self.n_steps_in} and n_steps_out={self.n_steps_out} need at least "
                f"{needed} time steps; the series has {len(values)}. Use a smaller n_steps_in "
                "or n_steps_out, or more data."
            )
        X_rows, y_rows = self._align_arrays(values, in_cols, tgt_cols, offset)
        X = sliding_window_view(X_rows, self.n_steps_in, axis=0).transpose(0, 2, 1)
        y = y_rows[self.n_steps_in - 1:]
        known = self._known(columns, tgt_cols)
        if known:
            X = np.concatenate([X, future_block(values, in_cols, known, offset, self.n_steps_out,
                                                self.n_steps_in - 1, len(y))], axis=1)
        return np.ascontiguousarray(X), y

    def _frame(self, data):
        self._check_params()
        values, columns, index = as_table(data)
        return (values, columns, index, *self._columns(columns))

    def _align_arrays(self, values, in_cols, tgt_cols, offset):
        n_rows = len(values) - offset - self.n_steps_out + 1
        if n_rows < 1:
            raise ValueError(
                f"The series has {len(values)} time steps, too few for n_steps_out="
                f"{self.n_steps_out} (target_offset={offset}); use a longer series or a "
                "smaller n_steps_out."
            )
        X = values[:n_rows, in_cols]
        # (n_rows, n_targets, n_steps_out) -> (n_rows, n_steps_out, n_targets)
        y = sliding_window_view(values[offset:, tgt_cols], self.n_steps_out, axis=0)[:n_rows]
        y = y.transpose(0, 2, 1)
        if len(tgt_cols) == 1:
            y = y[:, :, 0]
        if self.n_steps_out == 1:
            y = y[:, 0]
        return X, np.ascontiguousarray(y)

    def _columns(self, columns):
        tgt = resolve_columns(self.target, columns, "target")
        inp = resolve_columns(self.inputs, columns, "inputs")
        all_cols = list(range(len(columns)))
        if tgt is None:
            tgt = all_cols
        if inp is None:
            inp = all_cols if self.target is None else [c for c in all_cols if c not in tgt]
            if not inp:
                raise ValueError(
                    "target names every column, so no input column is left; pass "
                    "target=None to forecast all series from their own past, or set inputs."
                )
        if self.target_offset == "auto":
            offset = 1 if set(tgt) & set(inp) else 0
        else:
            offset = int(self.target_offset)
        known = self._known(columns, tgt)
        return inp + [c for c in known if c not in inp], tgt, offset

    def _known(self, columns, targets):
        """Positions of the known-future columns (checked: a target's future is not known)."""
        known = resolve_columns(self.known_future, columns, "known_future") or []
        clash = [columns[c] for c in known if c in targets]
        if clash:
            raise ValueError(
                f"known_future names the target column(s) {clash}, whose future is what is "
                "forecast; list only columns known in advance (calendar, forecasts of other "
                "variables, planned values)."
            )
        return known

    # -- row-aligned transformer ------------------------------------------
    def _pipeline_inputs(self, X):
        """``(inputs, known)``: positions in the Pipeline table ``X`` of the windowed columns,
        and of the known-future ones among them.

        With ``known_future``, the inputs include the known columns, and the
        table's last columns are the lead columns ``align`` appends (checked by
        name).
        """
        labelled = isinstance(X, pd.DataFrame)  # fit and transform turn a Series into a frame
        columns = list(X.columns) if labelled else list(range(self.n_features_in_))
        if self.known_future is not None:
            n_leads = self._n_leads()
            if n_leads >= len(columns):
                raise ValueError(
                    f"known_future={self.known_future!r} needs X to end with its {n_leads} lead "
                    f"columns (values at each forecast step) after the window columns; X has "
                    f"{len(columns)} columns. Build X with align()."
                )
            columns, leads = columns[:-n_leads], columns[-n_leads:]
            try:
                known = resolve_columns(self.known_future, columns, "known_future")
            except ValueError as exc:  # a calendar step inside the pipeline makes no leads
                raise ValueError(
                    f"{exc} With known_future, X's last {n_leads} columns are taken as the lead "
                    f"columns align() appends (here {leads}): build X with framing.align(table) "
                    "once the table holds the known columns (add calendar features before "
                    "align, not in a pipeline step before this one)."
                ) from None
            if labelled and not any(
                    [str(c) for c in leads] == lead_names([columns[k] for k in known], offset,
                                                          self.n_steps_out) for offset in (0, 1)):
                raise ValueError(
                    f"X's last {n_leads} columns {leads} are not the lead columns of "
                    f"known_future={self.known_future!r}; build X with align()."
                )
            inputs = self._window_inputs(columns, labelled, known)
            return inputs + [k for k in known if k not in inputs], known
        return self._window_inputs(columns, labelled, []), []

    def _n_leads(self):
        spec = self.known_future
        count = len(spec) if isinstance(spec, (list, np.ndarray, pd.Index)) else 1
        return count * self.n_steps_out

    def _future_part(self, values):
        """Flattened known-future steps of each row, from its lead columns (none without)."""
        if self.known_future is None:
            return values[:, :0]
        columns, known = self._fitted["columns"], self._fitted["known"]
        return leads_to_block(values[:, -self._n_leads():], [columns.index(k) for k in known],
                              len(columns), self.n_steps_out).reshape(len(values), -1)

    def _window_inputs(self, columns, labelled, known):
        everything = list(range(len(columns)))
        if self.target is not None and labelled:
            try:
                target = resolve_columns(self.target, columns, "target")
            except ValueError:
                target = None  # align()'s X: the target is not among its columns
        else:
            target = None  # numpy: X is taken as align()'s input table
        if self.inputs is not None:
            inputs = resolve_columns(self.inputs, columns, "inputs")
            if self.target is not None and labelled and target is None:
                others = [columns[i] for i in everything if i not in inputs and i not in known]
                if others:
                    raise ValueError(
                        f"target={self.target!r} is not a column of X, which has columns "
                        f"{others} besides the inputs; name the target column as it is in X, "
                        "or pass only the input columns (align()'s X)."
                    )
            return inputs
        if target is None:
            return everything
        inputs = [i for i in everything if i not in target]
        if not inputs:
            raise ValueError(
                "target names every column of X, so no input column is left; pass "
                "target=None to window all series, or set inputs."
            )
        return inputs

    @fit_or_restore
    def fit(self, X, y=None):
        """Record the input columns and the last rows seen (the history of a continuation).

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
            Time-ordered table.
        y : None or array-like of shape (n_timesteps,) or (n_timesteps, n_outputs)
            Not used to fit. A panel's ``y`` indexed ``(series_id, time)``
            must list the same series row by row as ``X``, since a pipeline
            pairs rows by position; otherwise a ValueError says so.

        Returns
        -------
        self : object
        """
        self._check_params()
        X, y = as_pandas(X), as_pandas(y)
        if is_panel(X, self.series_id):
            return self._fit_panel(X, y)
        X = X.to_frame() if isinstance(X, pd.Series) else X
        check_numeric_dtypes(X, "X")
        if isinstance(X, pd.DataFrame) and X.columns.duplicated().any():
            as_table(X, "X")  # names the duplicated labels
        index = X.index if isinstance(X, pd.DataFrame) else None
        check_time_order(index, "X")
        values = validate_data(self, X, reset=True, dtype=[np.float64, np.float32])
        if len(values) < self.n_steps_in:
            raise ValueError(
                f"X has n_samples = {len(values)} rows, fewer than one window "
                f"(n_steps_in={self.n_steps_in}); use a smaller n_steps_in or a longer table."
            )
        inputs, known = self._pipeline_inputs(X)
        names = list(X.columns) if isinstance(X, pd.DataFrame) else list(range(values.shape[1]))
        check_target_is_ahead(values[:, inputs], y, [names[k] for k in inputs],
                              [np.arange(len(values))], consecutive_rows(index))
        self.history_ = values[len(values) - (self.n_steps_in - 1):, inputs]
        self.history_next_label_, last = time_bounds(index)
        self._record_fit(inputs, known, table_fingerprint(values, index), panel=False, last=last,
                         counted=next_row_number(index))
        return self

    def _fit_panel(self, X, y=None):
        groups = panel_groups(X, self.series_id)
        check_target_rows(groups, len(X), y)
        names = list(groups[0][2].columns)
        inputs, known = self._pipeline_inputs(groups[0][2])
        self.n_features_in_ = len(names)
        if all(isinstance(name, str) for name in names):
            self.feature_names_in_ = np.asarray(names, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        history, following, last, counted = {}, {}, {}, {}
        rows, consecutive = np.empty((len(X), len(inputs))), True
        for sid, positions, table in groups:
            values, _, index = as_table(table, f"series {sid!r} of X")
            rows[positions] = values[:, inputs]
            consecutive = consecutive and consecutive_rows(index)
            # a series with fewer rows than a window is kept: a training fold cuts late
            # starters short, and their windows are padded like the start of any series
            history[sid] = values[max(0, len(values) - (self.n_steps_in - 1)):, inputs]
            following[sid], last[sid] = time_bounds(index)
            counted[sid] = next_row_number(index)
        check_target_is_ahead(rows, y, [names[k] for k in inputs],
                              [positions for _, positions, _ in groups], consecutive)
        self.history_, self.history_next_label_ = history, following
        self._record_fit(inputs, known, panel_fingerprint(X), panel=True, last=last, names=names,
                         counted=counted)
        return self

    def _record_fit(self, inputs, known, fingerprint, *, panel, last, counted, names=None):
        """What transform checks against: the parameters fit used, the windowed columns
        (and known-future ones among them), the fitted table's identity, its layout, the
        last time of its rows (per series for a panel; None without a time index) and the
        row number after them when an integer index counts the rows one by one."""
        self._fitted = {"n_steps_in": self.n_steps_in, "inputs": self.inputs,
                        "known_future": self.known_future, "target": self.target,
                        "columns": inputs, "known": known, "names": names,
                        "fingerprint": fingerprint, "panel": panel, "last": last,
                        "counted": counted}

    def _transform_panel(self, X):
        groups = panel_groups(X, self.series_id)
        same = self.history != "restart" and panel_fingerprint(X) == self._fitted["fingerprint"]
        columns = self._fitted["columns"]
        n_steps = self.n_steps_in + (self.n_steps_out if self.known_future is not None else 0)
        out = np.empty((len(X), n_steps * len(columns)))
        for sid, positions, table in groups:
            if list(table.columns) != self._fitted["names"]:
                raise ValueError(
                    f"series {sid!r} has columns {list(table.columns)}; fit saw "
                    f"{self._fitted['names']}. Pass the columns seen in fit, in that order."
                )
            values, _, index = as_table(table, f"series {sid!r} of X")
            rows = values[:, columns]
            past = rows[:0]
            if (self.n_steps_in > 1 and not same and self.history != "restart"
                    and sid in self.history_  # a series new to fit has no past to continue
                    and check_continuation(self.history, index, self.history_next_label_[sid],
                                           self._fitted["last"][sid], f"series {sid!r} of X",
                                           self._fitted["counted"][sid])):
                past = self.history_[sid]
            out[positions] = np.concatenate(
                [_row_windows(rows, past, self.n_steps_in), self._future_part(values)],
                axis=1)
        return out

    def _align_panel(self, data):
        single = self.single_series()
        frames, targets, column = [], [], id_column(data, self.series_id)
        for sid, _, table in panel_groups(data, self.series_id):
            X, y = for_series(sid, single.align, table)
            if column is None:
                X.index = y.index = pd.MultiIndex.from_arrays(
                    [np.repeat(np.asarray([sid], dtype=object), len(X)), X.index],
                    names=data.index.names)
            else:
                X.insert(0, column, sid)
            frames.append(X)
            targets.append(y)
        return pd.concat(frames), pd.concat(targets)

    def transform(self, X):
        """Map each row ``t`` to the flattened window of rows ``t-n_steps_in+1 .. t``.

        The first ``n_steps_in - 1`` rows take their history as ``history``
        says: the last rows seen in :meth:`fit` when ``X`` continues them, its
        own first row repeated when it stands alone.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
            Time-ordered table with the columns seen in :meth:`fit`.

        Returns
        -------
        Xt : ndarray of shape (n_timesteps, n_steps_in * n_inputs)
        """
        check_is_fitted(self)
        X = as_pandas(X)
        changed = [name for name in ("n_steps_in", "inputs", "target", "known_future")
                   if repr(getattr(self, name)) != repr(self._fitted[name])]
        if changed:
            raise ValueError(
                f"{', '.join(changed)} changed since fit (set_params); refit the transformer "
                "so that its history and columns match."
            )
        panel = is_panel(X, self.series_id)
        if panel and not self._fitted["panel"]:
            raise ValueError(
                f"X is a panel of series (series_id={self.series_id!r}), but fit saw one "
                "series; fit the transformer on the panel."
            )
        if panel:
            return self._transform_panel(X)
        if self._fitted["panel"] and self.history != "restart":
            raise ValueError(
                "fit saw a panel and X is one series, which cannot tell which fitted series it "
                "continues; pass it in the panel layout, or set history='restart' to window it "
                "on its own."
            )
        X = X.to_frame() if isinstance(X, pd.Series) else X
        index = X.index if isinstance(X, pd.DataFrame) else None
        check_numeric_dtypes(X, "X")
        check_time_order(index, "X")
        values = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        rows = values[:, self._fitted["columns"]]
        past = rows[:0]
        if self.n_steps_in > 1 and self._continues(values, index):
            past = self.history_.astype(rows.dtype, copy=False)
        windows = _row_windows(rows, past, self.n_steps_in)
        if self.known_future is None:
            return windows
        return np.concatenate([windows, self._future_part(values).astype(windows.dtype)], axis=1)

    def _continues(self, values, index):
        """Whether ``X`` continues the fitted table (its history is the fitted last rows)."""
        if self.history == "restart":
            return False  # before hashing: restarting never needs to recognise the table
        if table_fingerprint(values, index) == self._fitted["fingerprint"]:
            return False  # the fitted table itself: fit_transform == fit().transform()
        return check_continuation(self.history, index, self.history_next_label_,
                                  self._fitted["last"], "X", self._fitted["counted"])

    def get_feature_names_out(self, input_features=None):
        """Window column names such as ``"x0(t-2)"``, ``"x0(t-1)"``, ``"x0(t)"``.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input column names; defaults to ``feature_names_in_`` or
            ``x0, x1, ...``.

        Returns
        -------
        feature_names_out : ndarray of str objects
        """
        check_is_fitted(self, "n_features_in_")
        names = _check_feature_names_in(self, input_features)[self._fitted["columns"]]
        past = window_feature_names(names, self.n_steps_in)
        if self.known_future is None:
            return past
        return np.concatenate([past, np.asarray(lead_names(names, 1, self.n_steps_out),
                                                dtype=object)])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags


def _row_windows(rows, past, n_steps_in):
    """Flattened windows ending at each row; ``past`` (then the first row, repeated) before."""
    missing = n_steps_in - 1 - len(past)
    edge = past[:1] if len(past) else rows[:1]
    padded = np.concatenate([np.repeat(edge, missing, axis=0), past, rows])
    windows = sliding_window_view(padded, n_steps_in, axis=0)  # (n, d, steps)
    return np.ascontiguousarray(windows.transpose(0, 2, 1)).reshape(len(rows), -1)


def column_roles(framing, columns):
    """What ``framing`` does with each of a table's ``columns``: ``(inputs, targets, offset, known)``.

    Positions into ``columns`` of the windowed inputs (the known-future
    columns last among them), of the forecast targets and of the known-future
    columns, with the target offset resolved (0 or 1). A column named that
    the table lacks, or a target declared known ahead, raises as ``split``
    does. Forecasting (:mod:`sklstm.rollout`) reads a table's roles here.

    Examples
    --------
    >>> from sklstm import SlidingWindowTransformer
    >>> from sklstm.windowing import column_roles
    >>> column_roles(SlidingWindowTransformer(3, target="y"), ["x", "y"])  # y depends on x
    ([0], [1], 0, [])
    >>> column_roles(SlidingWindowTransformer(3, target="y", inputs=["y"], known_future=["t"]),
    ...              ["y", "t"])  # y from its own past, t known ahead
    ([0, 1], [0], 1, [1])
    """
    inputs, targets, offset = framing._columns(columns)
    return inputs, targets, offset, framing._known(columns, targets)


def check_column_order(framing, data, caller):
    """Refuse ``data`` holding the columns ``framing.split`` framed before, in another order.

    A model fitted on ``split``'s 3-D windows has no column names: it reads each window's
    columns by position. (A row-aligned pipeline is held to its columns by scikit-learn's
    own ``feature_names_in_``.) Other columns altogether are left to the framing's checks;
    ``caller`` names the function refusing.
    """
    seen = getattr(framing, "_split_columns", None)
    if seen is None or not isinstance(data, pd.DataFrame):
        return
    given = list(data.columns)
    if columns_reordered(given, seen):
        raise ValueError(
            f"{caller} was given the columns framing.split() framed before, in another order "
            f"({given}, framed as {seen}); a model fitted on those windows reads them by "
            f"position, so put them back in that order first: data[{seen}] (a table of its "
            "own, framed anew, takes a fresh transformer: sklearn.base.clone(framing))."
        )
