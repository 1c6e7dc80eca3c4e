"""scikit-learn's estimator contract, run on every public estimator that reads arrays.

(``CommonTrendAdjuster`` reads panels only, a pandas layout the checks do not make; its
parameters, cloning and errors are tested in ``test_common_trend.py``.)
"""

import math

import keras
from sklearn.linear_model import Ridge
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklstm import (LSTMForecaster, PersistenceForecaster, RelativeRegressor,
                    SeedEnsembleRegressor, SlidingWindowTransformer)
from sklstm.architectures import layer_seeds

# A window is a run of consecutive rows, so the transform of row t depends on
# rows t-n+1..t: reordering or subsetting the rows changes the windows by design.
ROW_ORDER = "windows are made of consecutive rows: the output depends on row order by design"
# weight 2 on a window and the window repeated put it in different mini-batches: same fit
# in expectation, not the same float32 weights (measured: predictions within 5e-5 relative)
BATCHES = ("a weighted window and a repeated one fall into different shuffled mini-batches, so "
           "the fits agree in expectation, not to the last float")


def gru(n_steps_in, n_features, output_shape, params):
    """A builder of one's own: the estimator keeps the contract with it too."""
    seeds = layer_seeds(params)
    inputs = keras.Input((n_steps_in, n_features))
    x = keras.layers.GRU(params["units"],
                         kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()),
                         recurrent_initializer=keras.initializers.Orthogonal(seed=seeds()))(inputs)
    x = keras.layers.Dense(max(1, math.prod(output_shape)),
                           kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()))(x)
    return keras.Model(inputs, keras.layers.Reshape(output_shape or (1,))(x))


EXPECTED_FAILURES = {
    "LSTMForecaster": {"check_sample_weight_equivalence_on_dense_data": BATCHES},
    "SeedEnsembleRegressor": {"check_sample_weight_equivalence_on_dense_data": BATCHES},
    "SlidingWindowTransformer": {
        "check_methods_sample_order_invariance": ROW_ORDER,
        "check_methods_subset_invariance": ROW_ORDER,
    },
}


@parametrize_with_checks(
    [
        # the checks transform tables other than the fitted one, without an index
        SlidingWindowTransformer(history="restart"),
        PersistenceForecaster(),
        # tiny and short: the checks fit dozens of models on random data
        LSTMForecaster(units=4, epochs=2, random_state=0),
        LSTMForecaster(gru, units=4, epochs=2, random_state=0),
        RelativeRegressor(Ridge()),
        # the ensemble's tags are its member's: an LSTM takes 2-D y and scores poorly here
        SeedEnsembleRegressor(LSTMForecaster(units=4, epochs=2), n_estimators=2, random_state=0),
    ],
    expected_failed_checks=lambda est: EXPECTED_FAILURES.get(type(est).__name__, {}),
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
