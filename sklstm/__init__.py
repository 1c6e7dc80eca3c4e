"""sklstm: scikit-learn compatible LSTM time-series forecasting.

Public names:

* :class:`SlidingWindowTransformer`: the tutorial's framings, and the
  row-aligned windowing step for Pipelines.
* :class:`LSTMForecaster`: every architecture of the tutorial as one
  scikit-learn regressor (SciKeras / Keras 3).
* :class:`PersistenceForecaster`: naive and seasonal-naive baselines on the
  same windows.
* :class:`RelativeRegressor`: any regressor learning the correction on top
  of (seasonal) persistence read from each window, window-locally scaled.
* :class:`SeedEnsembleRegressor`: the mean of several seeds of one model.
* :func:`sklstm.plotting.plot_forecast`: history, forecast and interval bands.
* :class:`CommonTrendAdjuster`: a panel's common movement taken out before
  a pooled model and put back into its forecasts.
* :class:`PanelTimeSeriesSplit`: walk-forward folds cutting every series of
  a panel at the same dates (:mod:`sklstm.panels`).
* :func:`forecast`: the next ``horizon`` steps after the data (direct and
  recursive rollout).
"""

import os

# TensorFlow logs C++ start-up chatter to stderr on import; keep a user's own setting
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

if os.environ.get("SKLSTM_NUM_THREADS"):  # a joblib / Dask worker's bound (sklstm.parallel)
    from .parallel import limit_threads

    limit_threads(os.environ["SKLSTM_NUM_THREADS"])

from .baselines import PersistenceForecaster
from .common_trend import CommonTrendAdjuster
from .ensemble import SeedEnsembleRegressor
from .forecaster import LSTMForecaster
from .forecasting import forecast
from .panels import PanelTimeSeriesSplit
from .relative import RelativeRegressor
from .windowing import SlidingWindowTransformer

__all__ = ["CommonTrendAdjuster", "LSTMForecaster", "PanelTimeSeriesSplit", "PersistenceForecaster",
           "RelativeRegressor", "SeedEnsembleRegressor", "SlidingWindowTransformer", "forecast"]
__version__ = "0.1.0"
