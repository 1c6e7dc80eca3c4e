"""LSTMForecaster: tutorial forecasts, output shapes per architecture, persistence, errors."""

import pickle

import joblib
import keras
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone, is_regressor

from sklstm import LSTMForecaster, SlidingWindowTransformer as SWT
from sklstm.architectures import ARCHITECTURES

TINY = dict(units=4, filters=4, epochs=1, random_state=0)


@pytest.fixture(scope="module")
def vanilla(raw_seq):
    """The tutorial's vanilla LSTM, with its settings (200 epochs)."""
    X, y = SWT(n_steps_in=3).split(raw_seq)
    return LSTMForecaster(epochs=200, random_state=0).fit(X, y), X, y


def test_tutorial_vanilla_forecast(vanilla):
    model, _, _ = vanilla
    yhat = model.predict([[70, 80, 90]])
    assert yhat.shape == (1,)
    assert yhat[0] == pytest.approx(100, rel=0.1)


def test_is_regressor_with_sklearn_tags():
    assert is_regressor(LSTMForecaster())
    assert LSTMForecaster().__sklearn_tags__().target_tags.multi_output


def test_same_random_state_same_forecast(vanilla, raw_seq):
    model, X, y = vanilla
    again = clone(model).fit(X, y)
    assert_array_equal(again.predict(X), model.predict(X))


def test_different_random_state_differs(raw_seq):
    X, y = SWT(n_steps_in=3).split(raw_seq)
    a = LSTMForecaster(**{**TINY, "random_state": 1}).fit(X, y).predict(X)
    b = LSTMForecaster(**{**TINY, "random_state": 2}).fit(X, y).predict(X)
    assert not np.allclose(a, b)


def test_a_forecast_does_not_depend_on_the_rows_predicted_with_it(vanilla):
    # a tutorial reader's question: Keras' predict gave other answers at another batch size;
    # every row here is one independent window, whatever it is batched with (up to float32
    # rounding: the position in a batch changes the SIMD summation order, measured 1e-7)
    model, X, _ = vanilla
    rows = np.repeat(X, 7, axis=0)[:40]            # more than one batch of 32, last one padded
    together = model.predict(rows)
    alone = np.concatenate([model.predict(rows[i:i + 1]) for i in range(len(rows))])
    assert_allclose(together, alone, rtol=1e-6)
    assert_allclose(model.predict(rows[::-1])[::-1], together, rtol=1e-6)
    assert np.ptp(together) > 40                   # distinct windows, distinct forecasts


def test_no_retracing_warning_over_many_configurations(raw_seq):
    # each configuration compiles its own functions once; TensorFlow's warning about repeated
    # tracing (printed from the sixth) advised the user on code they do not have
    import logging

    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("tensorflow")
    logger.addHandler(handler)
    try:
        X, y = SWT(n_steps_in=3).split(raw_seq)
        for units in range(2, 9):   # the fused path; Keras' own loop (validation) below
            LSTMForecaster(**{**TINY, "units": units}).fit(X, y).predict(X)
        for units in range(2, 4):
            LSTMForecaster(**{**TINY, "units": units, "validation_split": 0.2}).fit(X, y).predict(X)
    finally:
        logger.removeHandler(handler)
    assert not [r for r in records if "retracing" in r.getMessage()]


def test_pickle_and_joblib_round_trip(vanilla, tmp_path):
    model, X, _ = vanilla
    expected = model.predict(X)
    assert_array_equal(pickle.loads(pickle.dumps(model)).predict(X), expected)
    joblib.dump(model, tmp_path / "model.joblib")
    assert_array_equal(joblib.load(tmp_path / "model.joblib").predict(X), expected)


@pytest.mark.parametrize("architecture", sorted(ARCHITECTURES))
@pytest.mark.parametrize("y_shape", [(), (2,), (2, 3)], ids=["1d", "2d", "3d"])
def test_output_shape_follows_y(architecture, y_shape):
    rng = np.random.RandomState(0)
    X = rng.rand(8, 4, 3)
    y = rng.rand(8, *y_shape)
    model = LSTMForecaster(architecture, **TINY).fit(X, y)
    assert model.predict(X[:2]).shape == (2, *y_shape)
    assert model.model_.output_shape[1:] in {(1,), y_shape, (*y_shape, 1)} or y_shape == ()


def test_two_dimensional_windows_with_n_features(dataset):
    X3, y = SWT(n_steps_in=3).split(dataset)
    model = LSTMForecaster(n_features=3, **TINY).fit(X3.reshape(6, 9), y)
    assert model.window_shape_ == (3, 3)
    same = LSTMForecaster(**TINY).fit(X3, y)
    assert_allclose(model.predict(X3.reshape(6, 9)), same.predict(X3), rtol=1e-5)


def test_window_layout_read_from_feature_names(frame):
    import pandas as pd

    swt = SWT(n_steps_in=2).set_output(transform="pandas")
    Xt = swt.fit_transform(frame)
    model = LSTMForecaster(**TINY).fit(Xt, frame["out"])
    assert model.window_shape_ == (2, 3)
    assert isinstance(Xt, pd.DataFrame)


def test_warm_start_keeps_training(raw_seq):
    X, y = SWT(n_steps_in=3).split(raw_seq)
    model = LSTMForecaster(**{**TINY, "epochs": 2}, warm_start=True).fit(X, y)
    first = model.model_
    model.fit(X, y)
    assert model.model_ is first and len(model.history_["loss"]) == 4


def test_history_records_each_epoch_when_callbacks_ask(raw_seq):
    import keras

    X, y = SWT(n_steps_in=3).split(raw_seq)
    model = LSTMForecaster(**{**TINY, "epochs": 3}, callbacks=[keras.callbacks.History()]).fit(X, y)
    assert len(model.history_["loss"]) == 3
    # the fused fast path runs all epochs as one Keras epoch: one mean loss
    # (the torch backend always uses Keras' loop)
    fused = LSTMForecaster(**{**TINY, "epochs": 3}).fit(X, y)
    expected = 3 if keras.backend.backend() == "torch" else 1
    assert len(fused.history_["loss"]) == expected and np.isfinite(fused.history_["loss"]).all()


def test_fused_path_matches_keras_loop_statistically(raw_seq):
    import keras

    X, y = SWT(n_steps_in=3).split(raw_seq)
    query = np.array([[70, 80, 90]])
    fused = [LSTMForecaster(epochs=200, random_state=s).fit(X, y).predict(query)[0] for s in range(3)]
    loop = [LSTMForecaster(epochs=200, random_state=s, callbacks=[keras.callbacks.History()])
            .fit(X, y).predict(query)[0] for s in range(3)]
    assert abs(np.median(fused) - 100) < 10 and abs(np.median(loop) - 100) < 10
    # one batch per epoch and the same seeded start: the same optimisation path
    assert_allclose(fused, loop, rtol=1e-3)


def test_a_fit_uses_its_own_loss_whatever_was_fitted_before(raw_seq):
    """The engine cache keyed a loss object by its repr, which omits the reduction: a
    MeanSquaredError(reduction="sum") fitted after a default one trained with the default."""
    X, y = SWT(n_steps_in=3).split(raw_seq)  # 6 windows: one batch of 6 per epoch
    mean = LSTMForecaster(loss=keras.losses.MeanSquaredError(), epochs=5, random_state=0).fit(X, y)
    total = LSTMForecaster(loss=keras.losses.MeanSquaredError(reduction="sum"), epochs=5,
                           random_state=0).fit(X, y)
    # the sum over a batch of 6 is about 6 times its mean (Adam takes nearly the same steps)
    assert total.history_["loss"][-1] / mean.history_["loss"][-1] == pytest.approx(6, rel=0.05)
    # arguments the repr shows and the config omits (Huber's delta) still tell losses apart
    narrow = LSTMForecaster(loss=keras.losses.Huber(delta=0.01), epochs=5, random_state=0).fit(X, y)
    assert narrow.history_["loss"][-1] < mean.history_["loss"][-1] / 100


def test_a_fit_under_another_dtype_policy_gets_its_own_engine(raw_seq):
    """A mixed-precision fit after a float32 one reused the float32 engine."""
    X, y = SWT(n_steps_in=3).split(raw_seq)

    def make():
        return LSTMForecaster(units=4, epochs=3, random_state=0)

    float32 = make().fit(X, y)
    keras.config.set_dtype_policy("mixed_bfloat16")
    try:
        mixed = make().fit(X, y)
        loop = make().set_params(callbacks=[keras.callbacks.Callback()]).fit(X, y)  # its own model
    finally:
        keras.config.set_dtype_policy("float32")
    assert mixed.model_.dtype_policy.name == "mixed_bfloat16"
    assert np.abs(mixed.predict(X) - float32.predict(X)).max() > 1e-3  # bfloat16 rounds
    # one batch per epoch: the same optimisation as Keras' loop on a model of that policy
    assert_allclose(mixed.predict(X), loop.predict(X), rtol=2e-2)


def _dropout_lstm(n_steps_in, n_features, output_shape, params):
    from sklstm.architectures import layer_seeds

    seeds = layer_seeds(params)
    inputs = keras.Input((n_steps_in, n_features))
    x = keras.layers.LSTM(params["units"], seed=seeds(), dropout=0.2,
                          kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()),
                          recurrent_initializer=keras.initializers.Orthogonal(seed=seeds()))(inputs)
    x = keras.layers.Dropout(0.3, seed=seeds())(x)
    return keras.Model(inputs, keras.layers.Dense(
        1, kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()))(x))


def test_a_fit_does_not_depend_on_what_was_fitted_before_it(raw_seq):
    """Shared compiled engines must not be observable: each configuration gives the same
    forecasts fitted first in a fresh process (an empty engine cache) or after the others
    (a loss's reduction, Huber's delta, optimizer objects and seeded dropout once leaked)."""
    from sklstm import _training

    X, y = SWT(n_steps_in=3).split(raw_seq)
    X = np.concatenate([X, X + 5.0]) / 100.0
    y = np.concatenate([y, y + 5.0]) / 100.0
    configs = [{}, {"loss": keras.losses.MeanSquaredError()},
               {"loss": keras.losses.MeanSquaredError(reduction="sum")},
               {"loss": keras.losses.Huber(delta=0.01)}, {"loss": keras.losses.Huber(delta=2.0)},
               {"optimizer": keras.optimizers.SGD(learning_rate=0.05)},
               {"optimizer": keras.optimizers.SGD(learning_rate=0.05, momentum=0.9)},
               {"architecture": _dropout_lstm}, {"architecture": _dropout_lstm, "random_state": 1}]

    def fit(config):
        params = {"units": 4, "epochs": 5, "batch_size": 4, "random_state": 0, **config}
        return LSTMForecaster(**params).fit(X, y).predict(X)

    alone = []
    for config in configs:
        _training._ENGINES.clear()
        _training._LOADED.clear()
        alone.append(fit(config))
    before = _training.cache_counts()["hits"]
    after_the_others = [fit(config) for config in configs[::-1]][::-1]
    if keras.backend.backend() != "torch":  # torch always trains in Keras' loop, no engines
        assert _training.cache_counts()["hits"] - before >= 1  # the two dropout seeds share one
    for config, first, later in zip(configs, alone, after_the_others):
        assert_array_equal(later, first, err_msg=str(config))


# -- bad input -----------------------------------------------------------------
@pytest.fixture(scope="module")
def windows():
    rng = np.random.RandomState(0)
    return rng.rand(8, 4, 1), rng.rand(8)


def test_nan_in_X(windows):
    X, y = windows
    X = X.copy()
    X[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        LSTMForecaster(**TINY).fit(X, y)


def test_inf_in_y(windows):
    X, y = windows
    y = y.copy()
    y[0] = np.inf
    with pytest.raises(ValueError, match="y.*infinity|infinity.*y"):
        LSTMForecaster(**TINY).fit(X, y)


def test_four_dimensional_X(windows):
    X, y = windows
    with pytest.raises(ValueError, match="X must be 2-D .* or 3-D"):
        LSTMForecaster(**TINY).fit(X[..., None], y)


def test_length_mismatch(windows):
    X, y = windows
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        LSTMForecaster(**TINY).fit(X, y[:-1])


def test_unknown_architecture(windows):
    with pytest.raises(ValueError, match="'architecture' parameter"):
        LSTMForecaster("transformer", **TINY).fit(*windows)


@pytest.mark.parametrize("architecture", ["cnn_lstm", "convlstm"])
def test_n_seq_must_divide_window(windows, architecture):
    X, y = windows  # 4 steps
    with pytest.raises(ValueError, match=r"n_seq=3 must divide .* n_steps_in=4"):
        LSTMForecaster(architecture, n_seq=3, **TINY).fit(X, y)


def test_kernel_longer_than_a_subsequence_is_refused(windows):
    X, y = windows  # 4 steps, n_seq=2: subsequences of 2
    with pytest.raises(ValueError, match=r"kernel_size=3 is longer than each subsequence .*2 "
                                         r"steps: n_steps_in=4 split into n_seq=2"):
        LSTMForecaster("cnn_lstm", n_seq=2, kernel_size=3, **TINY).fit(X, y)


@pytest.mark.parametrize("name, value", [("activation", "no_such"), ("loss", "no_such"),
                                         ("optimizer", "no_such")])
def test_unknown_keras_names_are_refused_by_parameter(windows, name, value):
    # an unknown activation surfaced as Keras' "Could not interpret activation function
    # identifier", which names no parameter
    with pytest.raises(ValueError, match=f"{name}='no_such' is not a Keras {name}"):
        LSTMForecaster(**{**TINY, name: value}).fit(*windows)


def test_non_numeric_X(windows):
    _, y = windows
    X = np.array([["a", "b"]] * 8, dtype=object)
    with pytest.raises((ValueError, TypeError), match="could not convert|numeric"):
        LSTMForecaster(**TINY).fit(X, y)


def test_n_features_must_divide_columns(windows):
    X, y = windows
    with pytest.raises(ValueError, match="n_features=3"):
        LSTMForecaster(n_features=3, **TINY).fit(X.reshape(8, 4), y)


def test_predict_needs_same_window_shape(vanilla):
    model, _, _ = vanilla
    with pytest.raises(ValueError, match="features"):
        model.predict(np.zeros((1, 4, 1)))


def test_epoch_batches_reproduce_partial_batch_mean():
    from sklstm._training import epoch_batches

    index, weight = epoch_batches(5, 4, 2, True, np.random.RandomState(0))
    assert index.shape == weight.shape == (16,)
    for epoch in range(2):
        idx, w = index[epoch * 8:(epoch + 1) * 8], weight[epoch * 8:(epoch + 1) * 8]
        assert sorted(idx[:5]) == [0, 1, 2, 3, 4]       # each epoch sees every row once
        assert_array_equal(w, [1, 1, 1, 1, 4, 0, 0, 0])  # last batch: 1 real row of 4
    assert not np.array_equal(index[:5], index[8:13])    # a new permutation each epoch


def test_partial_fit_continues_with_keras_loop(raw_seq):
    X, y = SWT(n_steps_in=3).split(raw_seq)
    model = LSTMForecaster(**TINY)
    model.partial_fit(X, y)
    first = model.model_
    model.partial_fit(X, y)
    assert model.model_ is first and len(model.history_["loss"]) == 2


def test_fused_fit_hands_its_optimizer_state_to_model_(raw_seq):
    X, y = SWT(n_steps_in=3).split(raw_seq)
    model = LSTMForecaster(**{**TINY, "epochs": 5}).fit(X, y)
    assert int(np.asarray(model.model_.optimizer.iterations)) == 5  # one batch an epoch


# -- early stopping (sklearn's names, on the fast path) -----------------------------------------
def _noisy_windows():
    rng = np.random.RandomState(0)
    series = np.sin(np.arange(300) / 5.0) + rng.normal(0, 0.3, 300)
    return SWT(n_steps_in=8).split(series)


def test_early_stopping_stops_and_restores_the_best_weights():
    X, y = _noisy_windows()
    params = dict(units=16, activation="tanh", epochs=400, learning_rate=0.01,
                  early_stopping=True, validation_fraction=0.2, n_iter_no_change=10,
                  random_state=0)
    model = LSTMForecaster(**params).fit(X, y)
    import keras

    # the fused path, not Keras' loop (which the torch backend always uses)
    assert (model._engine_key_ is None) == (keras.backend.backend() == "torch")
    assert model.n_iter_ < 400 and model.n_iter_ - model.best_epoch_ >= 10
    val = model.history_["val_loss"]
    n_val = int(np.ceil(len(X) * 0.2))
    final = np.mean((model.predict(X[-n_val:]) - y[-n_val:]) ** 2)
    assert final == pytest.approx(min(val), rel=1e-4)
    again = LSTMForecaster(**params).fit(X, y)
    assert_array_equal(again.predict(X), model.predict(X))


def test_early_stopping_on_keras_loop_too():
    X, y = _noisy_windows()
    model = LSTMForecaster(units=8, activation="tanh", epochs=200, learning_rate=0.01,
                           early_stopping=True, n_iter_no_change=3, random_state=0,
                           callbacks=[keras.callbacks.History()]).fit(X, y)
    assert model.n_iter_ < 200 and len(model.history_["val_loss"]) == model.n_iter_
    # the best epoch's weights are kept, and best_epoch_ says which, as on the fused path
    val = model.history_["val_loss"]
    assert model.best_epoch_ == int(np.argmin(val)) + 1 and model.n_iter_ - model.best_epoch_ == 3
    n_val = int(np.ceil(len(X) * 0.1))
    final = np.mean((model.predict(X[-n_val:]) - y[-n_val:]) ** 2)
    assert final == pytest.approx(min(val), rel=1e-4)
    assert model.set_params(early_stopping=False, epochs=2).fit(X, y).best_epoch_ is None


def test_early_stopping_needs_windows_to_validate():
    X, y = SWT(n_steps_in=3).split([1.0, 2, 3, 4])
    with pytest.raises(ValueError, match="validation_fraction"):
        LSTMForecaster(epochs=2, early_stopping=True).fit(X, y)


def _conflicting_targets():
    """Identical windows with targets 1 and 0: the best constant is the weighted mean."""
    X = np.zeros((200, 3, 1))
    y = np.where(np.arange(200) % 2 == 0, 1.0, 0.0)
    return X, y, np.where(y == 1, 9.0, 1.0)


@pytest.mark.parametrize("params", [{}, {"early_stopping": True}, {"validation_split": 0.1}],
                         ids=["fused", "early-stopped", "keras-loop"])
def test_sample_weight_pulls_the_fit_to_the_weighted_mean(params):
    X, y, w = _conflicting_targets()
    fit = dict(units=4, epochs=60, learning_rate=0.01, random_state=0, **params)
    weighted = LSTMForecaster(**fit).fit(X, y, sample_weight=w)
    assert weighted.predict(X[:1])[0] == pytest.approx(0.9, abs=0.03)  # 9 : 1
    plain = LSTMForecaster(**fit).fit(X, y)
    assert plain.predict(X[:1])[0] == pytest.approx(0.5, abs=0.03)
    # 3-D targets: each window's weight applies to every one of its steps
    Y = np.stack([y, 1 - y], axis=1)[:, :, None]
    steps = LSTMForecaster(**fit).fit(X, Y, sample_weight=w).predict(X[:1]).ravel()
    assert_allclose(steps, [0.9, 0.1], atol=0.03)


def test_zero_sample_weight_leaves_the_window_out(raw_seq):
    X, y = SWT(n_steps_in=3).split(raw_seq)
    keep = np.arange(len(X)) % 3 != 0
    params = dict(units=4, epochs=5, random_state=0, early_stopping=True,
                  validation_fraction=0.2)
    weighted = LSTMForecaster(**params).fit(X, y, sample_weight=keep.astype(float))
    subset = LSTMForecaster(**params).fit(X[keep], y[keep])
    assert_array_equal(weighted.predict(X), subset.predict(X))
    for bad in (np.ones(len(X) - 1), np.r_[-1.0, np.ones(len(X) - 1)]):
        with pytest.raises(ValueError, match="sample_weight"):
            LSTMForecaster(**params).fit(X, y, sample_weight=bad)
