"""Fit and prediction speed of sklstm against raw Keras (and a fused JAX loop).

Runs, in one process on the active Keras backend (``KERAS_BACKEND``):

* W1: the tutorial's vanilla example (6 windows, LSTM(50, relu), 200 epochs);
* W2: a 600-point series, window 24, LSTM(32, relu), batch 32, 30 epochs;
* grid: GridSearchCV over 8 candidates x 3 TimeSeriesSplit folds on W2's data;
* single-window prediction latency (the inner loop of a recursive forecast).

"raw Keras" is the tutorial's code: a new ``Sequential`` model, ``compile``,
``fit`` per fit. The fused reference (JAX only) is an LSTM cell under
``lax.scan`` with all epochs inside one jitted function: the floor for this
arithmetic. Prints medians of ``--repeats`` runs and the ratios.

    KERAS_BACKEND=tensorflow python benchmarks/speed.py
    KERAS_BACKEND=jax python benchmarks/speed.py
"""

import argparse
import functools
import statistics
import time

import keras
import numpy as np
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklstm import LSTMForecaster, SlidingWindowTransformer

GRID = {"architecture": ["vanilla", "stacked"], "units": [16, 32], "learning_rate": [1e-3, 3e-3]}


def timed(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def workloads():
    X1, y1 = SlidingWindowTransformer(n_steps_in=3).split([10, 20, 30, 40, 50, 60, 70, 80, 90])
    t = np.arange(600)
    series = np.sin(2 * np.pi * t / 50) + 0.1 * np.random.RandomState(0).randn(600)
    X2, y2 = SlidingWindowTransformer(n_steps_in=24).split(series)
    return {"W1": (X1.astype("float32"), y1.astype("float32"), dict(units=50, epochs=200)),
            "W2": (X2.astype("float32"), y2.astype("float32"), dict(units=32, epochs=30))}


def raw_keras_fit(X, y, units, epochs, architecture="vanilla", learning_rate=1e-3):
    """The tutorial's code, as a user writes it."""
    model = keras.Sequential([keras.Input(X.shape[1:])])
    if architecture == "stacked":
        model.add(keras.layers.LSTM(units, activation="relu", return_sequences=True))
    model.add(keras.layers.LSTM(units, activation="relu"))
    model.add(keras.layers.Dense(1))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse")
    model.fit(X, y, epochs=epochs, batch_size=32, verbose=0)
    return model


def raw_keras_grid(X, y):
    for architecture in GRID["architecture"]:
        for units in GRID["units"]:
            for lr in GRID["learning_rate"]:
                for train, test in TimeSeriesSplit(n_splits=3).split(X):
                    model = raw_keras_fit(X[train], y[train], units, 30, architecture, lr)
                    model.predict(X[test], verbose=0)


def sklstm_grid(X, y):
    GridSearchCV(LSTMForecaster(epochs=30, random_state=0), GRID, cv=TimeSeriesSplit(n_splits=3),
                 scoring="neg_mean_absolute_error").fit(X, y)


@functools.lru_cache(maxsize=None)
def _fused_runner(units):
    """Jitted trainer for LSTM(units, relu) + Dense(1) with Adam; compiled once per shape."""
    import jax
    import jax.numpy as jnp

    def forward(p, x):
        def cell(carry, xt):
            h, c = carry
            z = xt @ p["W"] + h @ p["U"] + p["b"]
            i, f, g, o = jnp.split(z, 4, axis=-1)
            c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jax.nn.relu(g)
            h = jax.nn.sigmoid(o) * jax.nn.relu(c)
            return (h, c), None
        h0 = jnp.zeros((x.shape[0], units))
        (h, _), _ = jax.lax.scan(cell, (h0, h0), jnp.swapaxes(x, 0, 1))
        return (h @ p["V"] + p["c"])[:, 0]

    def loss(p, x, t):
        return jnp.mean((forward(p, x) - t) ** 2)

    @jax.jit
    def run(p, xb, yb):
        m = jax.tree.map(jnp.zeros_like, p)
        v = jax.tree.map(jnp.zeros_like, p)

        def step(state, batch_data):
            p, m, v, k = state
            g = jax.grad(loss)(p, *batch_data)
            k = k + 1
            m = jax.tree.map(lambda a, b: 0.9 * a + 0.1 * b, m, g)
            v = jax.tree.map(lambda a, b: 0.999 * a + 0.001 * b * b, v, g)
            p = jax.tree.map(lambda w, a, b: w - 1e-3 * (a / (1 - 0.9 ** k))
                             / (jnp.sqrt(b / (1 - 0.999 ** k)) + 1e-7), p, m, v)
            return (p, m, v, k), None
        (p, _, _, _), _ = jax.lax.scan(step, (p, m, v, 0.0), (xb, yb))
        return p

    return run


def fused_jax_fit(X, y, units, epochs, batch=32, seed=0):
    """Hand-written LSTM(relu) + Dense under lax.scan, every epoch in one jitted call.

    The reference floor for this arithmetic: like sklstm's engine cache, its
    compiled function is reused across fits of the same shapes.
    """
    import jax
    import jax.numpy as jnp

    n, steps, features = X.shape
    batch = min(batch, n)
    n_batches = -(-n // batch)
    rng = np.random.RandomState(seed)
    order = np.concatenate([np.resize(rng.permutation(n), n_batches * batch) for _ in range(epochs)])
    xb = jnp.asarray(X[order].reshape(epochs * n_batches, batch, steps, features))
    yb = jnp.asarray(y[order].reshape(epochs * n_batches, batch))
    k1, k2, k3 = jax.random.split(jax.random.PRNGKey(seed), 3)
    params = {"W": jax.random.normal(k1, (features, 4 * units)) * 0.1,
              "U": jax.random.normal(k2, (units, 4 * units)) * 0.1,
              "b": jnp.zeros(4 * units), "V": jax.random.normal(k3, (units, 1)) * 0.1,
              "c": jnp.zeros(1)}
    return jax.block_until_ready(_fused_runner(units)(params, xb, yb))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-grid", action="store_true")
    args = parser.parse_args()
    backend = keras.backend.backend()
    print(f"backend: {backend}; medians of {args.repeats} runs after one warm-up, seconds")
    print(f"{'workload':14s} {'sklstm':>8s} {'raw Keras':>10s} {'fused JAX':>10s} "
          f"{'sklstm/raw':>11s} {'sklstm/fused':>13s}", flush=True)

    def report(name, ours, raw, fused=None):
        fused_s = f"{fused:10.3f}" if fused else f"{'-':>10s}"
        ratio_f = f"{ours / fused:13.2f}" if fused else f"{'-':>13s}"
        print(f"{name:14s} {ours:8.3f} {raw:10.3f} {fused_s} {ours / raw:11.2f} {ratio_f}", flush=True)

    for name, (X, y, cfg) in workloads().items():
        raw_keras_fit(X, y, cfg["units"], cfg["epochs"])  # warm-up: backend start-up
        raw = timed(lambda: raw_keras_fit(X, y, cfg["units"], cfg["epochs"]), args.repeats)
        LSTMForecaster(units=cfg["units"], epochs=cfg["epochs"], random_state=0).fit(X, y)  # compiles
        ours = timed(lambda: LSTMForecaster(units=cfg["units"], epochs=cfg["epochs"],
                                            random_state=0).fit(X, y), args.repeats)
        fused = None
        if backend == "jax":
            fused_jax_fit(X, y, cfg["units"], cfg["epochs"])  # compiles
            fused = timed(lambda: fused_jax_fit(X, y, cfg["units"], cfg["epochs"]), args.repeats)
        report(f"{name} fit", ours, raw, fused)
    if not args.skip_grid:
        X, y, _ = workloads()["W2"]
        raw = timed(lambda: raw_keras_grid(X, y), args.repeats)
        sklstm_grid(X, y)  # warm-up
        ours = timed(lambda: sklstm_grid(X, y), args.repeats)
        report("grid 8x3 fits", ours, raw)

    # single-window prediction latency
    X, y, cfg = workloads()["W2"]
    est = LSTMForecaster(units=32, epochs=2, random_state=0).fit(X, y)
    window = X[-1:]
    est.predict(window)
    ours = timed(lambda: est.predict(window), 50)
    model = raw_keras_fit(X, y, 32, 2)
    model.predict(window, verbose=0)
    raw = timed(lambda: model.predict(window, verbose=0), 20)
    print(f"single-window predict: sklstm {ours * 1e3:.2f} ms, raw Keras model.predict "
          f"{raw * 1e3:.2f} ms (ratio {ours / raw:.2f})")


if __name__ == "__main__":
    main()
