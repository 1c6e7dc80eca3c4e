"""Run the 11 tutorial examples over several seeds; report error against the tutorial.

For each example: the median, over random states, of the mean absolute
percentage error of the forecast against the value the tutorial expects.

    python benchmarks/tutorial_parity.py [--seeds 5]
"""

import argparse
import importlib
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

EXAMPLES = [
    "vanilla_lstm", "stacked_lstm", "bidirectional_lstm", "cnn_lstm", "convlstm",
    "multiple_input_series", "multiple_parallel_series", "vector_output", "encoder_decoder",
    "multiple_input_multi_step", "parallel_multi_step",
]


def mape(forecast, expected):
    expected = np.asarray(expected, dtype=float)
    return float(np.mean(np.abs(np.ravel(forecast) - expected.ravel()) / np.abs(expected.ravel())) * 100)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--only", nargs="*", default=EXAMPLES)
    args = parser.parse_args()
    import keras

    print(f"backend: {keras.backend.backend()}, seeds 0..{args.seeds - 1}")
    print(f"{'example':28s} {'median MAPE %':>13s} {'max MAPE %':>10s} {'fit s':>6s}  per seed")
    worst = 0.0
    for name in args.only:
        module = importlib.import_module(name)
        start = time.perf_counter()
        errors = [mape(module.main(random_state=seed), module.EXPECTED) for seed in range(args.seeds)]
        seconds = (time.perf_counter() - start) / args.seeds
        median = float(np.median(errors))
        worst = max(worst, median)
        print(f"{name:28s} {median:13.2f} {max(errors):10.2f} {seconds:6.1f}  "
              + " ".join(f"{e:.1f}" for e in errors), flush=True)
    print(f"worst median: {worst:.2f}% ({'OK' if worst <= 10 else 'ABOVE'} the 10% bar)")
    return 0 if worst <= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
