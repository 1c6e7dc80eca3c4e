"""Multiple parallel series: forecast every series one step ahead (tutorial "Multiple Parallel Series")."""
from sklstm import LSTMForecaster, SlidingWindowTransformer
from sklstm.datasets import tutorial_multivariate

EXPECTED = [100, 105, 205]


def main(random_state=0):
    X, y = SlidingWindowTransformer(n_steps_in=3).split(tutorial_multivariate())  # (6,3,3), (6,3)
    model = LSTMForecaster("stacked", units=100, epochs=400, random_state=random_state).fit(X, y)
    return model.predict([[[70, 75, 145], [80, 85, 165], [90, 95, 185]]])


if __name__ == "__main__":
    print("forecast:", main().round(2), "tutorial expects:", EXPECTED)
