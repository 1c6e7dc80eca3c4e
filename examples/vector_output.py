"""Vector output model, univariate multi-step (tutorial "Vector Output Model")."""
from sklstm import LSTMForecaster, SlidingWindowTransformer
from sklstm.datasets import tutorial_univariate

EXPECTED = [100, 110]
# The tutorial trains 50 epochs; over 5 seeds that misses [100, 110] by 24% (median).
# 100 epochs is the smallest change that brings the median error under 5%
# (benchmarks/tutorial_parity.py).
EPOCHS = 100


def main(random_state=0, epochs=EPOCHS):
    X, y = SlidingWindowTransformer(n_steps_in=3, n_steps_out=2).split(tutorial_univariate())
    model = LSTMForecaster("stacked", units=100, epochs=epochs, random_state=random_state)
    return model.fit(X, y).predict([[70, 80, 90]])  # shape (1, 2): the next two steps


if __name__ == "__main__":
    print("forecast:", main().round(2), "tutorial expects:", EXPECTED)
