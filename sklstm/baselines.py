"""Baseline forecasters that read the same windows as LSTMForecaster."""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

from .known_future import split_future_steps
from ._validation import (as_sequences, fit_or_restore, forecast_r2_score, validate_fit_input,
                          validate_windows)

__all__ = ["PersistenceForecaster", "persistence_plan", "seasonal_persistence"]


class PersistenceForecaster(RegressorMixin, BaseEstimator):
    """Naive forecast from the window itself: the last value, or one season ago.

    Takes exactly the windows an :class:`~sklstm.LSTMForecaster` takes (3-D,
    or 2-D flattened from :class:`~sklstm.SlidingWindowTransformer`), so it can
    replace the LSTM as the last step of the same pipeline and be scored on the
    same folds. Nothing is learned; ``fit`` records the shapes.

    Horizon ``h`` (1-based) is forecast with the most recent window value
    from the same phase of the season: ``x[t + h - season_length *
    ceil(h / season_length)]``. With ``season_length=1`` that is the last value
    (persistence); with 12 on monthly data, the value a year before
    (seasonal naive). The window must hold at least ``season_length`` steps.

    Parameters
    ----------
    season_length : int, default=1
        Season length in time steps (1 = plain persistence).
    n_features : int or None, default=None
        Series per time step for 2-D ``X``, as for
        :class:`~sklstm.LSTMForecaster`.
    future_steps : int, default=0
        Known-future steps at the end of each window (a framing with
        ``known_future``): persistence reads the window before them.
    target_feature : int, "all" or None, default=None
        Which window series to repeat when ``y`` is one target series: its
        next value (``y`` of shape ``(n,)``) or its next ``k`` steps (``(n, k)``).
        ``None``: the window's only series, or, with several series, every
        series (the parallel framings: ``y`` of shape ``(n, n_series)`` or
        ``(n, n_steps_out, n_series)``). ``y`` of shape ``(n, k)`` with ``k``
        equal to the number of series is read as the next value of each
        series only when its rows continue the windows (``y[t]`` is the last
        step of window ``t + 1``); otherwise it is ``k`` steps of a target
        that is not in the window, which persistence cannot forecast, and
        ``fit`` raises. ``"all"`` says "every series" without that check (for
        targets scaled differently from the windows).

    Attributes
    ----------
    n_features_in_ : int
    window_shape_ : tuple of int
        ``(n_steps_in, n_features)``.
    output_shape_ : tuple of int
        Shape of one target.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import PersistenceForecaster
    >>> X, y = np.array([[1.0, 2.0, 3.0], [2.0, 3.0, 4.0]]), np.array([4.0, 5.0])
    >>> PersistenceForecaster().fit(X, y).predict(X)
    array([3., 4.])
    >>> PersistenceForecaster(season_length=2).fit(X, y).predict(X)
    array([2., 3.])
    """

    _parameter_constraints = {
        "season_length": [Interval(Integral, 1, None, closed="left")],
        "n_features": [Interval(Integral, 1, None, closed="left"), None],
        "target_feature": [Integral, StrOptions({"all"}), None],
        "future_steps": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, season_length=1, *, n_features=None, target_feature=None,
                 future_steps=0):
        self.season_length = season_length
        self.n_features = n_features
        self.target_feature = target_feature
        self.future_steps = future_steps

    @fit_or_restore
    def fit(self, X, y, sample_weight=None):
        """Record window and target shapes.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps_in, n_features) or \
                (n_samples, n_steps_in * n_features)
        y : array-like of shape (n_samples,), (n_samples, k) or \
                (n_samples, n_steps_out, n_series)
        sample_weight : array-like of shape (n_samples,), default=None
            Checked, then unused: persistence learns nothing (as
            ``DummyRegressor(strategy="constant")``), so a score table fitted
            with weights can keep this baseline.

        Returns
        -------
        self : PersistenceForecaster
        """
        X, y, window_shape = validate_fit_input(
            self, X, y, self.n_features,
            ("season_length", "n_features", "target_feature", "future_steps"))
        if sample_weight is not None:
            _check_sample_weight(sample_weight, X, ensure_non_negative=True)
        sequences = split_future_steps(as_sequences(X, window_shape, np.float64),
                                       self.future_steps)[0]
        n_steps_in, n_series = sequences.shape[1:]
        if self.season_length > n_steps_in:
            raise ValueError(
                f"season_length={self.season_length} is longer than the window "
                f"(n_steps_in={n_steps_in}); use windows of at least one season."
            )
        # fail at fit time on a y shape persistence cannot forecast
        self._plan = persistence_plan(sequences, y, self.target_feature)
        self.window_shape_, self.output_shape_ = window_shape, y.shape[1:]
        return self

    def _horizon_and_series(self):
        return self._plan

    def predict(self, X):
        """Repeat the last (seasonal) value of each window.

        Parameters
        ----------
        X : array-like, windows shaped as in :meth:`fit`

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) + output_shape_
        """
        check_is_fitted(self, "window_shape_")
        X = validate_windows(self, X, reset=False)
        windows = as_sequences(X, self.window_shape_, np.float64)
        windows = split_future_steps(windows, self.future_steps)[0]
        y_pred = seasonal_persistence(windows, *self._plan, self.season_length)
        return y_pred.reshape(len(X), *self.output_shape_)

    def score(self, X, y, sample_weight=None):
        """R^2 of the forecasts, averaged over every output (3-D ``y`` accepted)."""
        return forecast_r2_score(self, X, y, sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.regressor_tags.poor_score = True
        return tags


def seasonal_persistence(windows, n_steps_out, series, season_length):
    """``(n, n_steps_out, len(series))``: each step's value one season earlier in the window.

    Horizon ``h`` (1-based) takes ``x[t + h - season_length * ceil(h / season_length)]``.
    """
    s = season_length
    lags = [h - s * -(-h // s) - 1 for h in range(1, n_steps_out + 1)]  # index from the end
    return windows[:, lags][:, :, series]


def persistence_plan(windows, y, target_feature):
    """``(n_steps_out, series)``: how many steps of which window series ``y`` holds.

    ``windows`` is ``(n, n_steps_in, n_series)``; see
    :class:`PersistenceForecaster` (``target_feature``) for the rules.
    """
    shape, n_series = y.shape[1:], windows.shape[2]

    def parallel():  # y[t] is the next value of every window series
        return len(y) > 1 and np.allclose(y[:-1], windows[1:, -1, :])

    if target_feature == "all":  # said explicitly: one value (or block) per series
        if shape[-1:] == (n_series,) and len(shape) in (1, 2):
            return (1 if len(shape) == 1 else shape[0]), list(range(n_series))
        raise ValueError(
            f"target_feature='all' needs y of shape (n, {n_series}) or (n, n_steps_out, "
            f"{n_series}) for windows of {n_series} series; got target shape {shape}."
        )
    if target_feature is not None and not -n_series <= target_feature < n_series:
        raise ValueError(
            f"target_feature={target_feature} is not a series of the window, which holds "
            f"{n_series} (positions 0 to {n_series - 1})."
        )
    one = [0] if target_feature is None and n_series == 1 else (
        None if target_feature is None else [target_feature])
    if len(shape) == 2 and shape[1] == n_series and target_feature is None:
        return shape[0], list(range(n_series))
    if shape == () and one:
        return 1, one
    if len(shape) == 1 and one:
        return shape[0], one
    if len(shape) == 1 and shape[0] == n_series and parallel():
        return 1, list(range(n_series))
    raise ValueError(
        f"y with target shape {shape} cannot be read from windows of {n_series} series: "
        "persistence repeats a series of the window. Expected one value or k steps of one "
        "window series (set target_feature to it when windows hold several), one value per "
        "series whose rows continue the windows (parallel), or (n_steps_out, n_series). A "
        "target that is not in the window (a dependent series) cannot be forecast by "
        "persistence."
    )
