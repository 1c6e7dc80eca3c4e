"""MAPIE 1.x interoperability: an sklstm model inside MAPIE's split-conformal regressor.

MAPIE conformalizes one output per row and splits rows freely, so sklstm's
windows are made once, over the whole series (every row carries its own
past), and MAPIE sees rows of independent windows. Multi-step intervals per
horizon step come from ``forecast(..., coverage=...)`` instead.
"""

import numpy as np
import pytest

from sklstm import PersistenceForecaster, SlidingWindowTransformer as SWT

mapie_regression = pytest.importorskip("mapie.regression")


def test_split_conformal_regressor_on_sklstm_windows():
    rng = np.random.RandomState(0)
    y = np.zeros(1500)
    for t in range(1, len(y)):
        y[t] = 0.7 * y[t - 1] + rng.normal()
    rows, target = SWT().align(y)
    windows = SWT(4, history="restart").fit_transform(rows)[3:]  # complete windows only
    target = target[3:]
    train, conformalize, test = np.split(np.arange(len(windows)), [500, 1000])
    model = PersistenceForecaster().fit(windows[train], target[train])
    mapie = mapie_regression.SplitConformalRegressor(model, confidence_level=[0.8, 0.95],
                                                     prefit=True)
    mapie.conformalize(windows[conformalize], target[conformalize])
    point, bounds = mapie.predict_interval(windows[test])
    assert point.shape == (len(test),) and bounds.shape == (len(test), 2, 2)
    for j, level in enumerate((0.8, 0.95)):
        inside = (bounds[:, 0, j] <= target[test]) & (target[test] <= bounds[:, 1, j])
        assert abs(inside.mean() - level) <= 0.05
