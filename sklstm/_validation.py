"""Input checks shared by the forecasters (windows in, forecasts out)."""

import functools
import re
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.metrics import r2_score
from sklearn.utils.validation import check_array, check_consistent_length, validate_data

_WINDOW_NAME = re.compile(r"^(.*)\(t([-+]\d+)?\)$")
_FLOAT32_MAX = float(np.finfo(np.float32).max)

__all__ = ["as_sequences", "check_float32_range", "check_numeric_dtypes", "check_target_is_ahead",
           "fit_or_restore", "forecast_r2_score", "reject_bool_params", "validate_fit_input",
           "validate_target", "validate_windows", "window_layout"]


def fit_or_restore(fit):
    """Make ``fit`` leave the estimator as it was when it raises.

    A refit that failed part-way had already replaced some fitted attributes:
    ``RelativeRegressor`` then predicted with the previous ``regressor_`` under
    the failed fit's scaling (other forecasts, no error), and a transformer
    kept a new ``n_features_in_`` beside the old history. The fits here
    rebind their attributes rather than mutate them, so restoring a shallow
    copy of ``vars`` gives the previous fit back whole (or an unfitted
    estimator, where there was none).
    """
    @functools.wraps(fit)
    def fit_keeping_state(estimator, *args, **kwargs):
        state = dict(vars(estimator))
        try:
            return fit(estimator, *args, **kwargs)
        except BaseException:
            vars(estimator).clear()
            vars(estimator).update(state)
            raise

    return fit_keeping_state


def reject_bool_params(estimator, names):
    """Refuse ``True``/``False`` for integer parameters (sklearn's ``Interval`` accepts them)."""
    for name in names:
        value = getattr(estimator, name)
        if isinstance(value, (bool, np.bool_)):
            raise TypeError(
                f"{name} must be an int, got the bool {value!r}; pass a number such as "
                f"{name}={int(value) or 1}."
            )


def check_numeric_dtypes(data, name):
    """Refuse dates, durations, complex numbers, booleans, text and masks before a float conversion.

    numpy and scikit-learn turn ``datetime64`` into epoch numbers, complex
    numbers into their real part, numeric text ("1.5") into numbers and a
    masked array into its hidden values without an error; a model fitted on
    those would answer, wrongly.
    """
    if np.ma.isMaskedArray(data) and np.ma.is_masked(data):
        # np.asarray drops the mask and reads the hidden values as data
        raise ValueError(
            f"{name} is a masked array with {np.ma.count_masked(data)} masked values, whose "
            "hidden values would be read as data; fill or drop them first, e.g. "
            f"{name}.filled(np.nan) and then pandas' interpolate() or dropna()."
        )
    if isinstance(data, np.ndarray) and data.dtype.kind == "O" and any(
            isinstance(value, (str, bytes)) for value in data.flat):
        raise TypeError(
            f"{name} holds text (an object array with strings), not numeric values; convert it "
            f"to numbers explicitly first, e.g. {name}.astype(float), or encode categories "
            "yourself."
        )
    if isinstance(data, pd.DataFrame):
        dtypes = list(data.dtypes.items())
    elif isinstance(data, (pd.Series, np.ndarray)):
        dtypes = [(getattr(data, "name", None), data.dtype)]
    else:
        try:
            dtypes = [(None, np.asarray(data).dtype)]
        except (TypeError, ValueError):
            return  # left to the converter, which names the problem
    for column, dtype in dtypes:
        kind = getattr(dtype, "kind", "O")
        where = f"{name}" if column is None else f"{name} column {column!r}"
        if kind in "Mm" or isinstance(dtype, pd.PeriodDtype):
            raise TypeError(
                f"{where} holds dates or durations ({dtype}); sklstm reads time from the row "
                "order and the index. Put dates in the index (e.g. df.set_index('date')), or "
                "encode them as numbers yourself (see sklstm's calendar features)."
            )
        if kind == "c":
            raise ValueError(
                f"Complex data not supported: {where} is complex ({dtype}); the models are "
                "real-valued. Pass the real and imaginary parts as two columns (np.real / np.imag)."
            )
        if kind in "US":  # numpy reads "1.5" as 1.5 but refuses "1,5": text is not numbers
            raise TypeError(
                f"{where} holds text ({dtype}), not numeric values; convert it to numbers "
                f"explicitly first, e.g. {name}.astype(float), or encode categories yourself."
            )
        if kind == "b" or pd.api.types.is_bool_dtype(dtype):
            raise TypeError(
                f"{where} is boolean ({dtype}); convert it to numbers first, e.g. "
                ".astype(int), so that 0/1 is an explicit choice."
            )


def check_target_is_ahead(inputs, y, names, runs, consecutive=True):
    """Refuse a row-aligned ``y`` that repeats an input column of the same rows.

    In a row-aligned pipeline ``y[t]`` is what is forecast once row ``t`` is
    known (``align`` builds it: the next value). Passing the series itself as
    ``y`` (``pipe.fit(df, df["sales"])``) trains a model to copy the last value
    of its window; it fits perfectly and ``forecast`` repeats the last value,
    with no error anywhere. Steps before the window step (a scaler) change
    ``X`` and not ``y``, so the mistake shows as a ``y`` column that is an
    exact linear function of an input column at the same rows. A proper
    target is not refused: ``y[t]`` is then the column's row ``t + s`` for
    its step ``s`` (up to the same scaling), so when it is also linear in
    row ``t`` (a straight line, a constant, geometric or exactly periodic
    series), it is linear in a later row too, which is checked within each
    series first (steps 1 to the number of ``y`` columns). That needs the
    rows to be consecutive, so the check is left out when an index shows
    them not to be, or cannot tell (``consecutive`` False). A target that
    is an exact linear function of an input of the same row without being
    that series (a noiseless synthetic nowcast) is refused too: it needs no
    window, and real data always carry noise.

    Parameters
    ----------
    inputs : ndarray of shape (n_rows, n_inputs)
        The windowed columns, in the rows' order.
    y : array-like of shape (n_rows,) or (n_rows, n_outputs)
        The pipeline's target; left alone unless it is a numeric array of
        those rows.
    names : list
        The input columns' labels, for the message.
    runs : list of ndarray
        Row positions of each series, in time order (one run for a single series).
    consecutive : bool
        Whether every run's rows are consecutive steps
        (:func:`sklstm._tables.consecutive_rows` of their index).
    """
    if y is None or not consecutive:
        return
    try:
        targets = np.asarray(y, dtype=float)
    except (TypeError, ValueError):
        return  # text or ragged y: the model's own checks refuse it
    if targets.ndim not in (1, 2) or len(targets) != len(inputs) or len(inputs) < 3:
        return
    targets = targets.reshape(len(inputs), -1)
    if not np.isfinite(targets).all():
        return  # the model's own checks refuse it
    for j, k in zip(*np.nonzero(_linear(targets, inputs))):
        if not any(_linear_ahead(targets[:, j], inputs[:, k], runs, step)
                   for step in range(1, targets.shape[1] + 1)):
            raise ValueError(
                f"y{'' if targets.shape[1] == 1 else f' column {j}'} repeats X's column "
                f"{names[k]!r} row for row (up to a scale and shift, such as a scaler on X "
                "makes). In a row-aligned pipeline y[t] is what is forecast once row t is "
                "known (the next value), so the model would learn to copy its input and "
                "forecast() would repeat the last value. Build X, y with "
                "SlidingWindowTransformer(...).align(data)."
            )


def _linear_ahead(target, column, runs, step):
    """Whether ``target[t]`` is linear in ``column[t + step]`` within every run (True when no
    run has two such pairs: nothing to tell apart)."""
    now = np.concatenate([run[:-step] for run in runs if len(run) > step] or [[]]).astype(int)
    if len(now) < 2:
        return True
    after = np.concatenate([run[step:] for run in runs if len(run) > step]).astype(int)
    return bool(_linear(target[now, None], column[after, None])[0, 0])


def _linear(a, b):
    """``[i, k]``: column ``i`` of ``a`` is an exact linear function of column ``k`` of ``b``.

    Read from their correlation: 1 - |r| below 1e-9. Between one row and the
    next the smoothest benchmark series, Victoria's half-hourly temperature,
    has 1 - r = 6e-3; a series smoother than 1e-9 has its copy taken for its
    next value and passes (never the other way round). Two constant columns
    count as linear; one constant column and one that moves do not.
    """
    a, b = a - a.mean(axis=0), b - b.mean(axis=0)
    na, nb = np.linalg.norm(a, axis=0), np.linalg.norm(b, axis=0)
    flat_a, flat_b = na <= 1e-12 * (1 + np.abs(a).max(axis=0)), nb <= 1e-12 * (1 + np.abs(b).max(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.abs((a / na).T @ (b / nb))
    linear = np.nan_to_num(r) >= 1 - 1e-9
    return (linear & ~flat_a[:, None] & ~flat_b[None, :]) | (flat_a[:, None] & flat_b[None, :])


def check_float32_range(values, name):
    """Refuse finite values that overflow float32, the precision the networks compute in."""
    if values.size and np.nanmax(np.abs(values)) > _FLOAT32_MAX:
        raise ValueError(
            f"{name} holds values beyond float32's range (|value| > {_FLOAT32_MAX:.3g}); the "
            "network computes in float32 and would return NaN. Rescale it (e.g. with "
            "StandardScaler, or TransformedTargetRegressor for y)."
        )


def _describe(shape):
    steps, series = shape
    return f"{steps} steps x {series} series"


def validate_windows(estimator, X, *, reset):
    """Validate ``X`` as windows: 2-D flattened ``(samples, n_steps_in * n_features)`` or 3-D.

    Returns a float array; sets/checks ``n_features_in_`` and
    ``feature_names_in_`` the sklearn way (``n_features_in_`` counts the
    columns of 2-D input, the time steps of 3-D input). After fit, a window
    of another shape is refused in the terms of windows (steps, series),
    before sklearn would call its time steps "features".
    """
    check_numeric_dtypes(X, "X")
    shape = getattr(X, "shape", None)
    if shape is None:  # np.asarray, not np.shape: array-likes may refuse __array_function__
        shape = np.asarray(X).shape
    if len(shape) > 3:
        raise ValueError(
            f"X must be 2-D (flattened windows, samples x (n_steps_in * n_features)) or 3-D "
            f"(samples x n_steps_in x n_features); got {len(shape)}-D input. Reshape it, e.g. "
            "X.reshape(len(X), n_steps_in, n_features)."
        )
    fitted = getattr(estimator, "window_shape_", None)
    if not reset and fitted is not None:
        if len(shape) == 3 and tuple(shape[1:]) != tuple(fitted):
            raise ValueError(
                f"X holds windows of {_describe(shape[1:])}; {type(estimator).__name__} was "
                f"fitted on windows of {_describe(fitted)} (n_steps_in x n_features). Frame "
                f"the data as in fit: SlidingWindowTransformer(n_steps_in={fitted[0]})."
            )
        # 2-D: columns are features; sklearn's own message says so
    # float64 first: integers reach the numpy models unrounded (float32 input stays float32)
    X = validate_data(estimator, X, reset=reset, allow_nd=True, dtype=[np.float64, np.float32])
    check_float32_range(X, "X")
    return X


def validate_target(estimator, y, X):
    """Validate ``y``: numeric, finite, 1-D to 3-D, one row per window of ``X``."""
    if y is None:
        raise ValueError(
            f"{type(estimator).__name__} requires y to be passed, but the target y is None; "
            "pass the targets that belong to each window of X."
        )
    check_numeric_dtypes(y, "y")
    y = check_array(y, ensure_2d=False, allow_nd=True, dtype="numeric", input_name="y")
    if y.ndim > 3:
        raise ValueError(
            f"y must have shape (samples,), (samples, k) or (samples, n_steps_out, n_targets); "
            f"got {y.ndim}-D."
        )
    if len(y) != len(X):
        check_consistent_length(X, y)
    check_float32_range(y, "y")
    return y


def _continues_by(X, d):
    """Whether each row of ``X`` is the previous one shifted by ``d`` columns."""
    return np.array_equal(X[1:, :-d], X[:-1, d:])


def window_layout(estimator, X, n_features):
    """``(n_steps_in, n_features)`` of the windows in ``X`` (validated, 2-D or 3-D).

    For 2-D input the number of series per step is ``n_features`` when given,
    else read from window column names such as ``"x(t-1)"`` (as produced by
    :class:`~sklstm.SlidingWindowTransformer` with pandas output), else 1.
    Unnamed windows that are visibly consecutive windows of ``d > 1`` series
    (each row is the previous one shifted by ``d`` columns) are refused
    rather than read as one long series.
    """
    if X.ndim == 3:
        return X.shape[1], X.shape[2]
    width = X.shape[1]
    if n_features is None:
        names = getattr(estimator, "feature_names_in_", None)
        n_features = 1
        if names is not None:
            matches = [_WINDOW_NAME.match(str(name)) for name in names]
            if all(matches):
                n_features = len({m.group(1) for m in matches})
                if width % n_features == 0:
                    _check_window_order(matches, width // n_features, n_features)
        elif len(X) > 1 and width > 1 and not _continues_by(X, 1):
            series = [d for d in range(2, width) if width % d == 0 and _continues_by(X, d)]
            if series:
                raise ValueError(
                    f"X looks like flattened windows of {series[0]} series per time step (each "
                    f"row repeats the previous one shifted by {series[0]} columns), but it has "
                    "no column names to say so and would be read as one long series. Set "
                    f"n_features={series[0]} on {type(estimator).__name__}, or keep the window "
                    "names: pass a DataFrame or call set_output(transform='pandas') on the "
                    "pipeline."
                )
    if width % n_features:
        raise ValueError(
            f"X has {width} columns, not a multiple of n_features={n_features}; set "
            "n_features to the number of series per time step of the flattened windows."
        )
    return width // n_features, n_features


def _check_window_order(matches, n_steps, n_features):
    """Refuse window columns named ``"x(t-1)"`` in another order than the network reads them.

    A 2-D window is read step by step from the oldest, the same series in the same
    order at every step (what ``SlidingWindowTransformer`` writes). Lag columns
    built by hand are often newest first (``x(t)``, ``x(t-1)``, ...) or series by
    series (``a(t-1)``, ``a(t)``, ``b(t-1)``, ``b(t)``): read by position, the
    first reversed time and the second took two steps of ``a`` for one step of
    two series, without a word.
    """
    steps = [matches[i * n_features:(i + 1) * n_features] for i in range(n_steps)]
    bases = [[m.group(1) for m in step] for step in steps]
    offsets = [{int(m.group(2) or 0) for m in step} for step in steps]
    in_order = (all(b == bases[0] for b in bases) and all(len(o) == 1 for o in offsets)
                and all(a < b for (a,), (b,) in zip(offsets, offsets[1:])))
    if not in_order:
        lags = sorted({int(m.group(2) or 0) for m in matches})
        series = list(dict.fromkeys(m.group(1) for m in matches))
        expected = [f"{name}(t{lag:+d})" if lag else f"{name}(t)" for lag in lags for name in series]
        missing = sorted(set(expected) - {m.group(0) for m in matches})
        if missing:
            raise ValueError(
                f"X's window columns are named like x(t-1) but do not give every series at "
                f"every step (no {missing[:4]}); a window is steps x series. Pass the columns "
                "of whole steps, or set n_features on the estimator to read them otherwise."
            )
        shown = expected if len(expected) <= 8 else expected[:4] + ["..."] + expected[-2:]
        raise ValueError(
            "X's window columns are named like x(t-1) but are not in the order the network "
            "reads a window: step by step from the oldest, the same series in the same order "
            f"at every step, here {shown}. Reorder them (X = X[[...]] in that order), or frame "
            "the data with SlidingWindowTransformer, which writes that order."
        )


def validate_fit_input(estimator, X, y, n_features, integer_params):
    """Parameters, windows, target and window layout of a window-reading estimator's fit."""
    estimator._validate_params()
    reject_bool_params(estimator, integer_params)
    X = validate_windows(estimator, X, reset=True)
    y = validate_target(estimator, y, X)
    return X, y, window_layout(estimator, X, n_features)


def as_sequences(X, layout, dtype=np.float32):
    """Reshape windows to ``(samples, n_steps_in, n_features)``.

    float32 is what the networks compute in; the numpy models (baselines,
    ``RelativeRegressor``'s transform) ask for float64, since float32 rounds
    values above 2**24 (a persisted 123456827 came back as 123456824).
    """
    return np.ascontiguousarray(X, dtype=dtype).reshape(len(X), *layout)


def forecast_r2_score(estimator, X, y, sample_weight=None):
    """R^2 of ``estimator.predict(X)`` averaged over every output value.

    scikit-learn's ``r2_score`` takes at most 2-D targets; a
    ``(samples, n_steps_out, n_targets)`` block is scored as its
    ``n_steps_out * n_targets`` outputs, uniformly averaged.
    """
    y = np.asarray(y, dtype=np.float64)
    y_pred = np.asarray(estimator.predict(X), dtype=np.float64)
    if y.ndim > 2:
        y, y_pred = y.reshape(len(y), -1), y_pred.reshape(len(y_pred), -1)
    return r2_score(y, y_pred, sample_weight=sample_weight)


def is_integer(value):
    """An int that is not a bool."""
    return isinstance(value, Integral) and not isinstance(value, (bool, np.bool_))
