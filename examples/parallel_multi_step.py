"""Multiple parallel input and multi-step output.

The tutorial's "Multiple Parallel Input and Multi-Step Output" section.
"""
from sklstm import LSTMForecaster, SlidingWindowTransformer
from sklstm.datasets import tutorial_multivariate

EXPECTED = [[90, 95, 185], [100, 105, 205]]


def main(random_state=0):
    framing = SlidingWindowTransformer(n_steps_in=3, n_steps_out=2)
    X, y = framing.split(tutorial_multivariate())  # (5, 3, 3), (5, 2, 3)
    model = LSTMForecaster("encoder_decoder", units=200, epochs=300, random_state=random_state)
    return model.fit(X, y).predict([[[60, 65, 125], [70, 75, 145], [80, 85, 165]]])


if __name__ == "__main__":
    print("forecast:", main().round(2), "tutorial expects:", EXPECTED)
