"""CNN-LSTM, univariate one-step (tutorial section "CNN LSTM").

Windows of 4 steps are read as n_seq=2 subsequences of 2 steps; the model
reshapes them itself, so X stays (samples, 4, 1).
"""
from sklstm import LSTMForecaster, SlidingWindowTransformer
from sklstm.datasets import tutorial_univariate

EXPECTED = [100]


def main(random_state=0):
    X, y = SlidingWindowTransformer(n_steps_in=4).split(tutorial_univariate())  # (5, 4, 1)
    model = LSTMForecaster("cnn_lstm", n_seq=2, filters=64, kernel_size=1, epochs=500,
                           random_state=random_state)
    return model.fit(X, y).predict([[60, 70, 80, 90]])


if __name__ == "__main__":
    print("forecast:", main().round(2), "tutorial expects:", EXPECTED)
