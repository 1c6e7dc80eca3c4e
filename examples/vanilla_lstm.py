"""Vanilla LSTM, univariate one-step (tutorial section "Vanilla LSTM")."""
from sklstm import LSTMForecaster, SlidingWindowTransformer
from sklstm.datasets import tutorial_univariate

EXPECTED = [100]


def main(random_state=0):
    X, y = SlidingWindowTransformer(n_steps_in=3).split(tutorial_univariate())  # (6, 3, 1), (6,)
    model = LSTMForecaster("vanilla", units=50, epochs=200, random_state=random_state).fit(X, y)
    return model.predict([[70, 80, 90]])


if __name__ == "__main__":
    print("forecast:", main().round(2), "tutorial expects:", EXPECTED)
