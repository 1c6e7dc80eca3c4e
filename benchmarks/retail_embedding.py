"""Screen: does a learned series-id embedding help the global retail LSTM? (issue 10)

    KERAS_BACKEND=jax python benchmarks/retail_embedding.py --dims 2 8 --seeds 0 1 2

The README's one-hot id columns (declared known-future) hurt the global model on the
training part's last 24 months (LSTM 1.418 -> 1.586): 152 inputs per step let each series
overfit its few recent windows. The usual remedy in global models (DeepAR, Salinas et al.
2020) is a small learned embedding of the id, read by the LSTM at every step. sklstm has no
embedding layer, so this prototype is a plain Keras model inside the benchmark's own
pipeline (``global_retail.global_model``: macro adjustment, log scale, correction on top of
"same month last year", standardised; window 24, horizon 24), fed the series' integer code
beside each window; ``--dims 0`` is the same model without the id (the control, in the same
harness, so a difference is the embedding's). Units 32, tanh, Adam at 0.003, batch 128,
16 epochs: the benchmark LSTM's settings.

Scored like ``retail_screens.py`` on the three 24-month periods before the test (2011-12,
2013-14, 2015-16; each fitted on the months before its period), never on the test. Rule set
before it ran (2026-11-28): an embedding is built into sklstm and scored on the test only if
its mean MASE over the three periods (seeds 0-2) is at least 0.02 below the control's.
"""

import argparse
import time

import keras
import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin

import global_retail as retail
from sklstm import SlidingWindowTransformer, forecast
from retail_screens import periods, print_by_period, screen_row

# The series codes of the windows being fitted, and of the series being forecast (one
# predict call per series, in the panel's order): set by screen_fit around each fit.
CONTEXT = {"fit": None, "predict": None}


class EmbeddedLSTM(RegressorMixin, BaseEstimator):
    """LSTM over the window, the series' embedding (``embedding_dim`` > 0) beside each step."""

    def __init__(self, embedding_dim=0, n_series=1, epochs=16, random_state=0):
        self.embedding_dim = embedding_dim
        self.n_series = n_series
        self.epochs = epochs
        self.random_state = random_state

    def _inputs(self, X, ids):
        windows = np.asarray(X, dtype="float32").reshape(len(X), -1, 1)
        return [windows, np.asarray(ids, dtype="int32")[:, None]] if self.embedding_dim else windows

    def fit(self, X, y):
        ids = CONTEXT["fit"]
        if len(ids) != len(X):
            raise RuntimeError(f"{len(ids)} fit ids for {len(X)} windows")
        keras.utils.set_random_seed(self.random_state)
        window = keras.Input((np.asarray(X).shape[1], 1))
        x, inputs = window, [window]
        if self.embedding_dim:
            code = keras.Input((1,), dtype="int32")
            vector = keras.layers.Embedding(self.n_series, self.embedding_dim)(code)  # (n, 1, d)
            steps = keras.layers.Lambda(
                lambda v: keras.ops.repeat(v[0], keras.ops.shape(v[1])[1], axis=1))([vector, window])
            x, inputs = keras.layers.Concatenate()([window, steps]), [window, code]
        x = keras.layers.LSTM(32, activation="tanh")(x)
        out = keras.layers.Dense(np.asarray(y).shape[1])(x)
        self.model_ = keras.Model(inputs, out)
        self.model_.compile(keras.optimizers.Adam(0.003), "mse")
        self.model_.fit(self._inputs(X, ids), np.asarray(y, dtype="float32"), epochs=self.epochs,
                        batch_size=128, shuffle=True, verbose=0)
        return self

    def predict(self, X):
        ids = [next(CONTEXT["predict"]) for _ in range(len(X))]
        return self.model_.predict(self._inputs(X, ids), verbose=0)


def screen_fit(train, dim, seed, epochs):
    """``global_retail.global_model`` with the embedded LSTM: ``(forecasts, fallback)``."""
    codes = {sid: i for i, sid in enumerate(train.index.get_level_values("series").unique())}
    framing = SlidingWindowTransformer(n_steps_in=retail.WINDOW, n_steps_out=retail.HORIZON)
    adjuster = retail.macro_adjuster(train)
    usable, trainable = retail.windowable(adjuster.transform(train), retail.WINDOW)
    X, Y, labels = retail.recent_windows(framing, trainable)
    CONTEXT["fit"] = [codes[sid] for sid in labels.get_level_values("series")]
    model = retail.log_relative(EmbeddedLSTM(dim, len(codes), epochs, seed))
    model.fit(X, Y)
    order = list(usable.index.get_level_values("series").unique())
    CONTEXT["predict"] = iter([codes[sid] for sid in order])
    future = forecast(model, train.loc[usable.index], retail.HORIZON, framing=framing,
                      adjuster=adjuster)
    if next(CONTEXT["predict"], None) is not None:
        raise RuntimeError("fewer predict calls than series")
    return retail.or_seasonal_naive(train, future)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dims", type=int, nargs="+", default=[2, 8],
                        help="embedding sizes to screen (the control, 0, is always scored)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=16)
    args = parser.parse_args(argv)
    print(f"Keras backend {keras.backend.backend()}; seeds {args.seeds}; epochs {args.epochs}")
    start, rows = time.perf_counter(), []
    for label, train, test in periods(retail.load_panel()):
        for dim in [0, *[d for d in args.dims if d]]:
            for seed in args.seeds:
                name = "no id (control)" if dim == 0 else f"embedding {dim}"
                rows.append(screen_row(label, name, seed, *screen_fit(train, dim, seed, args.epochs),
                                       train, test))
    print_by_period(rows, digits=4)
    print(f"\n{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
