"""Input checks shared by the forecasters (windows in, forecasts out)."""

import re

import numpy as np
from sklearn.utils.validation import check_array, check_consistent_length, validate_data

_WINDOW_NAME = re.compile(r"^(.*)\(t(-\d+)?\)$")


def validate_windows(estimator, X, *, reset):
    """Validate ``X`` as windows: 2-D flattened ``(samples, n_steps_in * n_features)`` or 3-D.

    Returns a float array; sets/checks ``n_features_in_`` and
    ``feature_names_in_`` the sklearn way (``n_features_in_`` counts the
    columns of 2-D input, the time steps of 3-D input).
    """
    ndim = getattr(X, "ndim", None)
    if ndim is None:  # np.asarray, not np.ndim: array-likes may refuse __array_function__
        ndim = np.asarray(X).ndim
    if ndim > 3:
        raise ValueError(
            f"X must be 2-D (flattened windows, samples x (n_steps_in * n_features)) or 3-D "
            f"(samples x n_steps_in x n_features); got {ndim}-D input. Reshape it, e.g. "
            "X.reshape(len(X), n_steps_in, n_features)."
        )
    return validate_data(estimator, X, reset=reset, allow_nd=True,
                         dtype=[np.float32, np.float64])


def validate_target(estimator, y, X):
    """Validate ``y``: numeric, finite, 1-D to 3-D, one row per window of ``X``."""
    if y is None:
        raise ValueError(
            f"{type(estimator).__name__} requires y to be passed, but the target y is None; "
            "pass the targets that belong to each window of X."
        )
    y = check_array(y, ensure_2d=False, allow_nd=True, dtype="numeric", input_name="y")
    if y.ndim > 3:
        raise ValueError(
            f"y must have shape (samples,), (samples, k) or (samples, n_steps_out, n_targets); "
            f"got {y.ndim}-D."
        )
    if len(y) != len(X):
        check_consistent_length(X, y)
    return y


def window_layout(estimator, X, n_features):
    """``(n_steps_in, n_features)`` of the windows in ``X`` (validated, 2-D or 3-D).

    For 2-D input the number of series per step is ``n_features`` when given,
    else read from window column names such as ``"x(t-1)"`` (as produced by
    :class:`~sklstm.SlidingWindowTransformer` with pandas output), else 1.
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
    if width % n_features:
        raise ValueError(
            f"X has {width} columns, not a multiple of n_features={n_features}; set "
            "n_features to the number of series per time step of the flattened windows."
        )
    return width // n_features, n_features


def as_sequences(X, layout):
    """Reshape windows to ``(samples, n_steps_in, n_features)`` float32."""
    return np.ascontiguousarray(X, dtype=np.float32).reshape(len(X), *layout)
