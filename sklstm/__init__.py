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

# imported once the log level and the thread bound above are set (hence E402)
from .baselines import PersistenceForecaster  # noqa: E402
from .common_trend import CommonTrendAdjuster  # noqa: E402
from .ensemble import SeedEnsembleRegressor  # noqa: E402
from .forecaster import LSTMForecaster  # noqa: E402
from .forecasting import forecast  # noqa: E402
from .panels import PanelTimeSeriesSplit  # noqa: E402
from .relative import RelativeRegressor  # noqa: E402
from .windowing import SlidingWindowTransformer  # noqa: E402

__all__ = ["CommonTrendAdjuster", "LSTMForecaster", "PanelTimeSeriesSplit", "PersistenceForecaster",
           "RelativeRegressor", "SeedEnsembleRegressor", "SlidingWindowTransformer", "forecast"]
__version__ = "0.1.0"
