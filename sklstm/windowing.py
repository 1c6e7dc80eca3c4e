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

from numbers import Integral

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["SlidingWindowTransformer", "window_feature_names"]


def window_feature_names(feature_names, n_steps_in):
    """Names of the flattened window columns, oldest step first.

    ``["a", "b"]`` with ``n_steps_in=2`` gives
    ``["a(t-1)", "b(t-1)", "a(t)", "b(t)"]``: the layout is
    ``(n_steps_in, n_features)`` flattened in C order, which is what
    :class:`~sklstm.LSTMForecaster` reshapes back into a sequence.
    """
    lags = [f"(t-{k})" if k else "(t)" for k in range(n_steps_in - 1, -1, -1)]
    return np.asarray([f"{name}{lag}" for lag in lags for name in feature_names], dtype=object)


def _future_index(index, periods):
    """The ``periods`` labels that would follow ``index`` (None when they cannot be told).

    Known for a regular DatetimeIndex (its ``freq``, or one pandas can infer)
    and for an integer index with a constant, non-zero step.
    """
    if len(index) == 0:
        return None
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq or (pd.infer_freq(index) if len(index) >= 3 else None)
        if not freq:
            return None
        offset = pd.tseries.frequencies.to_offset(freq)
        return pd.date_range(index[-1] + offset, periods=periods, freq=offset, name=index.name)
    if len(index) >= 2 and pd.api.types.is_integer_dtype(index.dtype):
        step = index[-1] - index[-2]
        if step:
            return pd.RangeIndex(index[-1] + step, index[-1] + step * (periods + 1), step,
                                 name=index.name)
    return None


def _as_table(data):
    """Return ``(values, column_names, index)`` for a 1-D or 2-D series."""
    if isinstance(data, pd.Series):
        name = data.name if data.name is not None else 0
        frame = data.to_frame(name=name)
    elif isinstance(data, pd.DataFrame):
        frame = data
    else:
        frame = None
    if frame is not None:
        bad = [c for c, dt in frame.dtypes.items() if not pd.api.types.is_numeric_dtype(dt)
               or pd.api.types.is_bool_dtype(dt)]
        if bad:
            raise TypeError(
                f"data has non-numeric columns {bad}; encode or drop them before framing "
                "(every column of the series must be numeric)."
            )
        values = frame.to_numpy(dtype=np.float64)
        columns = list(frame.columns)
        index = frame.index
    else:
        try:
            values = np.asarray(data, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"data must be numeric (a list, array, Series or DataFrame of numbers): {exc}"
            ) from None
        if values.ndim == 1:
            values = values[:, None]
        if values.ndim != 2:
            raise ValueError(
                f"data must be 1-D (one series) or 2-D (time steps x series); got "
                f"{values.ndim}-D with shape {values.shape}."
            )
        columns = list(range(values.shape[1]))
        index = None
    if not np.isfinite(values).all():
        raise ValueError(
            "data contains NaN or infinite values; fill or drop them first "
            "(for example with pandas' interpolate() or dropna())."
        )
    return values, columns, index


def _resolve_columns(spec, columns, param):
    """Positions of the columns named by ``spec`` (a label, position or list)."""
    if spec is None:
        return None
    items = spec if isinstance(spec, (list, tuple, np.ndarray, pd.Index)) else [spec]
    positions = []
    for item in items:
        if item in columns:
            positions.append(columns.index(item))
        elif isinstance(item, Integral) and not isinstance(item, bool) and -len(columns) <= item < len(columns):
            positions.append(int(item) % len(columns))
        else:
            raise ValueError(
                f"{param}={item!r} is not a column of the data; choose a name or position "
                f"among {columns}."
            )
    if not positions:
        raise ValueError(f"{param} must name at least one column.")
    return positions


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

    Attributes
    ----------
    n_features_in_ : int
        Number of columns seen by :meth:`fit`.
    history_ : ndarray of shape (n_steps_in - 1, n_features_in_)
        Last rows seen by :meth:`fit` (fewer if ``fit`` saw fewer).
    history_next_label_ : object or None
        Index label that a table continuing the fitted one starts with
        (pandas input with an integer or regular DatetimeIndex), else None.
    feature_names_in_ : ndarray of str
        Column names seen by :meth:`fit`, when they were all strings.

    Notes
    -----
    Row-aligned mode (:meth:`transform`): row ``t`` of the output is the window
    of rows ``t - n_steps_in + 1 .. t`` flattened oldest step first, so no row
    ever sees a later row. The first ``n_steps_in - 1`` rows of a table have
    less history than a window holds:

    * if the table is pandas and its index continues the index seen in
      :meth:`fit` (a walk-forward test fold right after its training fold),
      their history is the last ``n_steps_in - 1`` rows seen in :meth:`fit`:
      the true past, as a forecaster would have it;
    * otherwise the missing steps repeat the earliest row available ("edge"
      padding), so every row still gets a finite window. Training rows at the
      start of a series are padded the same way and are kept for fitting.

    ``fit_transform(X)`` equals ``fit(X).transform(X)``: a table never
    continues itself. Apart from those last rows, nothing is learned.

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
    }

    def __init__(self, n_steps_in=3, n_steps_out=1, *, target=None, inputs=None, target_offset="auto"):
        self.n_steps_in = n_steps_in
        self.n_steps_out = n_steps_out
        self.target = target
        self.inputs = inputs
        self.target_offset = target_offset

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
        values, columns, index, in_cols, tgt_cols, offset = self._frame(data)
        X, y = self._align_arrays(values, in_cols, tgt_cols, offset)
        if index is None:
            return X, y
        rows = index[: len(X)]
        X = pd.DataFrame(X, index=rows, columns=[columns[i] for i in in_cols])
        if y.ndim == 1:
            y = pd.Series(y, index=rows, name=columns[tgt_cols[0]])
        elif y.ndim == 2:
            names = ([columns[i] for i in tgt_cols] if self.n_steps_out == 1
                     else [f"{columns[tgt_cols[0]]}(t+{offset + h})" for h in range(self.n_steps_out)])
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
        values, _, _, in_cols, tgt_cols, offset = self._frame(data)
        needed = self.n_steps_in + offset + self.n_steps_out - 1
        if len(values) < needed:
            raise ValueError(
                f"n_steps_in={self.n_steps_in} and n_steps_out={self.n_steps_out} need at least "
                f"{needed} time steps; the series has {len(values)}. Use a smaller n_steps_in "
                "or n_steps_out, or more data."
            )
        X_rows, y_rows = self._align_arrays(values, in_cols, tgt_cols, offset)
        X = sliding_window_view(X_rows, self.n_steps_in, axis=0).transpose(0, 2, 1)
        return np.ascontiguousarray(X), y_rows[self.n_steps_in - 1:]

    def _frame(self, data):
        self._validate_params()
        values, columns, index = _as_table(data)
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
        tgt = _resolve_columns(self.target, columns, "target")
        inp = _resolve_columns(self.inputs, columns, "inputs")
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
        return inp, tgt, offset

    # -- row-aligned transformer ------------------------------------------
    def fit(self, X, y=None):
        """Record the input columns and, for pandas input, the last rows seen.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
            Time-ordered table.
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        self._validate_params()
        values = validate_data(self, X, reset=True, dtype=[np.float64, np.float32])
        index = X.index if isinstance(X, (pd.DataFrame, pd.Series)) else None
        self.history_ = values[len(values) - (self.n_steps_in - 1):]
        following = _future_index(index, 1) if index is not None else None
        self.history_next_label_ = None if following is None else following[0]
        return self

    def transform(self, X):
        """Map each row ``t`` to the flattened window of rows ``t-n_steps_in+1 .. t``.

        The first ``n_steps_in - 1`` rows lack history inside ``X``. When ``X``
        is pandas and its first index label is the one right after the last
        label seen in :meth:`fit` (the test fold of a walk-forward split), that
        history is the last rows seen in :meth:`fit`; otherwise the earliest
        row of ``X`` is repeated.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
            Time-ordered table with the columns seen in :meth:`fit`.

        Returns
        -------
        Xt : ndarray of shape (n_timesteps, n_steps_in * n_features)
        """
        check_is_fitted(self)
        index = X.index if isinstance(X, (pd.DataFrame, pd.Series)) else None
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        past = np.empty((0, X.shape[1]), dtype=X.dtype)
        if (index is not None and len(index) and self.history_next_label_ is not None
                and index[0] == self.history_next_label_):
            past = self.history_.astype(X.dtype, copy=False)
        missing = self.n_steps_in - 1 - len(past)
        edge = past[:1] if len(past) else X[:1]
        padded = np.concatenate([np.repeat(edge, missing, axis=0), past, X])
        windows = sliding_window_view(padded, self.n_steps_in, axis=0)  # (n, d, steps)
        return np.ascontiguousarray(windows.transpose(0, 2, 1)).reshape(len(X), -1)

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
        from sklearn.utils.validation import _check_feature_names_in

        names = _check_feature_names_in(self, input_features)
        return window_feature_names(names, self.n_steps_in)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags
