"""Encoder-decoder LSTM, univariate multi-step (tutorial "Encoder-Decoder Model")."""
from sklstm import LSTMForecaster, SlidingWindowTransformer
from sklstm.datasets import tutorial_univariate

EXPECTED = [100, 110]


def main(random_state=0):
    X, y = SlidingWindowTransformer(n_steps_in=3, n_steps_out=2).split(tutorial_univariate())
    # y stays (5, 2): the decoder emits (2, 1) per window and the estimator reshapes back
    model = LSTMForecaster("encoder_decoder", units=100, epochs=100, random_state=random_state)
    return model.fit(X, y).predict([[70, 80, 90]])


if __name__ == "__main__":
    print("forecast:", main().round(2), "tutorial expects:", EXPECTED)
