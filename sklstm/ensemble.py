"""Seed ensembles: the mean of several fits that differ only in their random seed."""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.utils import get_tags
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import check_is_fitted, check_random_state

from ._validation import fit_or_restore, forecast_r2_score, reject_bool_params

__all__ = ["SeedEnsembleRegressor"]


class SeedEnsembleRegressor(RegressorMixin, BaseEstimator):
    """Average ``n_estimators`` clones of a regressor fitted with different seeds.

    A small network's forecast varies with its initial weights and batch
    order; the mean of a few seeds is steadier and usually better (up to 0.8
    MAPE points on airline, ``shared/notes/skill.md``). scikit-learn's
    ``VotingRegressor`` averages too, but takes a list of named estimators,
    so the number of seeds and the member's parameters could not be
    grid-searched as plain parameters; here they are ``n_estimators`` and
    ``estimator__<param>``.

    Parameters
    ----------
    estimator : regressor with a ``random_state`` parameter
        The model to repeat (an :class:`~sklstm.LSTMForecaster`, or a pipeline
        or :class:`~sklstm.RelativeRegressor` containing one: every
        ``random_state`` inside is set).
    n_estimators : int, default=5
    random_state : int, RandomState or None, default=None
        Draws the members' seeds; an int makes the ensemble repeatable.

    Attributes
    ----------
    estimators_ : list of fitted regressors
    seeds_ : list of int

    Notes
    -----
    The members are fitted one after another; there is no ``n_jobs``. LSTM
    members of one configuration share one compiled engine, used by one fit
    at a time, so threads would overlap only the Python around the fits,
    and processes pay a framework import and their own compiles (on two
    cores ``loky`` ran a search 1.7x slower than serial, README "Parallel and
    distributed searches"). Parallelise the search around the ensemble
    instead (``GridSearchCV(..., n_jobs=...)``, or Dask across machines).

    Examples
    --------
    >>> from sklearn.linear_model import SGDRegressor
    >>> from sklstm import SeedEnsembleRegressor
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 2.0, 3.0]
    >>> model = SeedEnsembleRegressor(SGDRegressor(), n_estimators=3, random_state=0).fit(X, y)
    >>> len(model.estimators_), model.predict([[4.0]]).shape
    (3, (1,))
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict", "get_params"])],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, estimator, *, n_estimators=5, random_state=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.random_state = random_state

    @fit_or_restore
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit each member with its own seed.

        Parameters
        ----------
        X, y : the member's training data
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to every member's ``fit`` (an :class:`~sklstm.LSTMForecaster`
            or :class:`~sklstm.RelativeRegressor` takes it), as sklearn's
            ``VotingRegressor`` passes it; so the ensemble can sit inside a
            ``RelativeRegressor`` fitted with weights.
        **fit_params : dict
            Passed to every member's ``fit`` too, e.g.
            ``<step>__sample_weight=...`` for a pipeline member.

        Returns
        -------
        self : SeedEnsembleRegressor
        """
        self._validate_params()
        reject_bool_params(self, ("n_estimators",))
        seeded = [k for k in self.estimator.get_params() if k.split("__")[-1] == "random_state"]
        if not seeded:
            raise ValueError(
                f"estimator {type(self.estimator).__name__} has no random_state parameter, so "
                "its members would all be the same fit; wrap a model that takes a seed."
            )
        if sample_weight is not None:
            fit_params["sample_weight"] = sample_weight
        rng = check_random_state(self.random_state)
        self.seeds_ = [int(s) for s in rng.randint(np.iinfo(np.int32).max, size=self.n_estimators)]
        self.estimators_ = [clone(self.estimator).set_params(**dict.fromkeys(seeded, seed))
                            .fit(X, y, **fit_params) for seed in self.seeds_]
        if hasattr(self.estimators_[0], "n_features_in_"):
            self.n_features_in_ = self.estimators_[0].n_features_in_
        return self

    def predict(self, X):
        """The mean of the members' forecasts."""
        check_is_fitted(self, "estimators_")
        return np.mean([np.asarray(m.predict(X), dtype=np.float64) for m in self.estimators_],
                       axis=0)

    def score(self, X, y, sample_weight=None):
        """R^2 of the forecasts, averaged over every output (3-D ``y`` accepted)."""
        return forecast_r2_score(self, X, y, sample_weight)

    def __sklearn_tags__(self):
        # what the ensemble accepts and how well it fits are its member's (as for sklearn's
        # meta-estimators): an LSTM member takes 2-D y and scores poorly on a few epochs
        tags = super().__sklearn_tags__()
        member = get_tags(self.estimator)
        tags.target_tags.multi_output = member.target_tags.multi_output
        tags.regressor_tags.poor_score = member.regressor_tags.poor_score
        tags.input_tags.allow_nan = member.input_tags.allow_nan
        tags.input_tags.sparse = member.input_tags.sparse
        return tags
