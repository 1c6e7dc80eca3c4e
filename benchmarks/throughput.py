"""Training throughput on large data: sklstm vs raw Keras vs plain PyTorch nn.LSTM.

Workload W3: 50,000 windows x 48 steps x 4 features, LSTM(64) -> Dense(1),
batch 256, Adam, MSE. Each model trains ``--epochs`` epochs once as a warm-up
(compilation, cuDNN autotuning) and then ``--repeats`` more times, timed; the
figure is training samples per second of the median timed run. Everything runs in one process
on the active Keras backend (``KERAS_BACKEND``), on the GPU when the backend
sees one.

    KERAS_BACKEND=jax python benchmarks/throughput.py --activation tanh
"""

import argparse
import statistics
import time

import keras
import numpy as np

from sklstm import LSTMForecaster


def make_data(n, steps=48, features=4, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, steps, features).astype("float32")
    y = (X[:, -8:, 0].mean(axis=1) + 0.1 * rng.randn(n)).astype("float32")
    return X, y


def rate(run, n, repeats):
    """Samples per second of the median of ``repeats`` timed calls of ``run``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return n / statistics.median(times)


def raw_keras(X, y, activation, epochs, batch, repeats):
    model = keras.Sequential([keras.Input(X.shape[1:]), keras.layers.LSTM(64, activation=activation),
                              keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")

    def run():
        model.fit(X, y, batch_size=batch, epochs=epochs, verbose=0)
    run()  # warm-up
    return rate(run, len(X) * epochs, repeats)


def sklstm_fit(X, y, activation, epochs, batch, repeats):
    def run():
        LSTMForecaster(units=64, activation=activation, epochs=epochs, batch_size=batch,
                       random_state=0).fit(X, y)
    run()  # warm-up: compiles the configuration's engine
    return rate(run, len(X) * epochs, repeats)


def torch_lstm(X, y, epochs, batch, repeats):
    """Plain PyTorch nn.LSTM (tanh only; cuDNN on a GPU) with the usual training loop."""
    import torch

    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(0)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = torch.nn.LSTM(X.shape[2], 64, batch_first=True)
            self.head = torch.nn.Linear(64, 1)

        def forward(self, x):
            out, _ = self.lstm(x)
            return self.head(out[:, -1])[:, 0]

    net = Net().to(device)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    Xt, yt = torch.from_numpy(X).to(device), torch.from_numpy(y).to(device)

    def run():
        for _ in range(epochs):
            perm = torch.randperm(len(Xt), device=device)
            for i in range(0, len(Xt), batch):
                idx = perm[i:i + batch]
                opt.zero_grad()
                loss = torch.nn.functional.mse_loss(net(Xt[idx]), yt[idx])
                loss.backward()
                opt.step()
        if device == "cuda":
            torch.cuda.synchronize()

    run()  # warm-up
    return rate(run, len(X) * epochs, repeats), device


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activation", default="tanh", choices=["tanh", "relu"])
    parser.add_argument("--n-samples", type=int, default=50_000)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-torch", action="store_true")
    args = parser.parse_args()
    X, y = make_data(args.n_samples)
    backend = keras.backend.backend()
    raw = raw_keras(X, y, args.activation, args.epochs, args.batch, args.repeats)
    ours = sklstm_fit(X, y, args.activation, args.epochs, args.batch, args.repeats)
    line = (f"backend={backend} activation={args.activation} n={args.n_samples}: "
            f"sklstm {ours:,.0f} samples/s, raw Keras {raw:,.0f} samples/s "
            f"(sklstm/raw {ours / raw:.2f})")
    if not args.no_torch:
        try:
            ref, device = torch_lstm(X, y, args.epochs, args.batch, args.repeats)
        except ImportError:
            ref = None
        if ref:
            line += (f", PyTorch nn.LSTM (tanh, {device}) {ref:,.0f} samples/s "
                     f"(sklstm/nn.LSTM {ours / ref:.2f})")
    print(line, flush=True)


if __name__ == "__main__":
    main()
