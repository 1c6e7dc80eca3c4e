"""Trust: threads, state edits, failed fits and odd input (issue 7, one test per finding).

Each test is written from the user's side and failed before the change it
guards: a result is either right or refused with the parameter and the fix.
"""

import random
import threading

import keras
import numpy as np
import pandas as pd
import pytest
from joblib import parallel_backend
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, KFold, TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklstm import (LSTMForecaster as LF, PersistenceForecaster, RelativeRegressor, SeedEnsembleRegressor,
                    SlidingWindowTransformer as SWT)
from sklstm.forecasting import forecast

RNG = np.random.RandomState(0)
SERIES = np.sin(np.arange(60) / 4.0) + RNG.normal(0, 0.1, 60)
WINDOWS, TARGETS = SWT(n_steps_in=4).split(SERIES)


def _fit_predict(params):
    model = LF(**{"units": 8, "epochs": 3, **params}).fit(WINDOWS, TARGETS)
    return model.predict(WINDOWS)


# -- 1. threads and random state ---------------------------------------------------------
CONFIGS = [{"random_state": 1}, {"random_state": 2}, {"random_state": 1, "units": 6},
           {"random_state": 3, "architecture": "stacked"}]


def test_threaded_seeded_fits_equal_serial_ones_and_leave_global_streams_alone():
    serial = [_fit_predict(c) for c in CONFIGS]
    random.seed(7)
    np.random.seed(7)
    py_state, np_state = random.getstate(), np.random.get_state()[1].copy()
    results = {}

    def work(i):
        for _ in range(2):
            results.setdefault(i, []).append(_fit_predict(CONFIGS[i]))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(CONFIGS))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, expected in enumerate(serial):
        for got in results[i]:
            assert_array_equal(got, expected)  # bit for bit
    assert random.getstate() == py_state
    assert_array_equal(np.random.get_state()[1], np_state)


def test_unseeded_fit_does_not_advance_the_callers_random():
    random.seed(3)
    before = random.getstate()
    LF(units=4, epochs=1).fit(WINDOWS, TARGETS)
    assert random.getstate() == before


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="TensorFlow's global stream")
def test_seeded_keras_loop_fit_does_not_restart_tensorflows_stream():
    import tensorflow as tf

    tf.random.set_seed(5)
    tf.random.uniform(())
    expected = float(tf.random.uniform(()))
    tf.random.set_seed(5)
    tf.random.uniform(())
    # verbose=2 takes Keras' per-epoch loop (where a global seed used to be set)
    LF(units=4, epochs=2, random_state=0, verbose=0,
       callbacks=[keras.callbacks.History()]).fit(WINDOWS, TARGETS)
    assert float(tf.random.uniform(())) == expected


def test_keras_loop_fit_is_repeatable():
    params = dict(units=4, epochs=3, random_state=0, validation_split=0.2,
                  callbacks=[keras.callbacks.History()])
    first = LF(**params).fit(WINDOWS, TARGETS)
    second = LF(**params).fit(WINDOWS, TARGETS)
    assert_array_equal(first.predict(WINDOWS), second.predict(WINDOWS))
    assert len(first.history_["val_loss"]) == 3


def test_grid_search_under_threading_backend_matches_serial():
    rows = SWT().align(SERIES)
    pipe = make_pipeline(SWT(history="continue"), LF(units=4, epochs=2, random_state=0))
    grid = {"slidingwindowtransformer__n_steps_in": [3, 4], "lstmforecaster__units": [3, 4]}
    cv = TimeSeriesSplit(n_splits=2)
    serial = GridSearchCV(pipe, grid, cv=cv, n_jobs=1).fit(*rows)
    with parallel_backend("threading"):
        threaded = GridSearchCV(pipe, grid, cv=cv, n_jobs=2).fit(*rows)
    for key in ("split0_test_score", "split1_test_score", "mean_test_score"):
        assert_array_equal(threaded.cv_results_[key], serial.cv_results_[key])
    assert threaded.best_params_ == serial.best_params_


# -- 2. predict follows model_ ------------------------------------------------------------
def test_predict_uses_weights_set_on_model_():
    a = LF(units=4, epochs=2, random_state=0).fit(WINDOWS, TARGETS)
    b = LF(units=4, epochs=2, random_state=1).fit(WINDOWS, TARGETS)
    a.predict(WINDOWS)
    a.model_.set_weights(b.model_.get_weights())
    assert_array_equal(a.predict(WINDOWS), b.predict(WINDOWS))


def test_predict_follows_fine_tuning_of_model_():
    a = LF(units=4, epochs=2, random_state=0).fit(WINDOWS, TARGETS)
    before = a.predict(WINDOWS)
    a.model_.fit(WINDOWS, TARGETS, epochs=5, verbose=0)
    after = a.predict(WINDOWS)
    assert np.abs(after - before).max() > 1e-4
    assert_allclose(after, a.model_.predict(WINDOWS, verbose=0).ravel(), rtol=1e-5, atol=1e-6)


# -- 3. failed fits --------------------------------------------------------------------------
def test_failed_refit_leaves_the_estimator_as_it_was():
    model = LF(units=4, epochs=2, random_state=0).fit(WINDOWS, TARGETS)
    before = model.predict(WINDOWS)
    with pytest.raises(ValueError, match="loss='no_such_loss'"):
        model.set_params(loss="no_such_loss").fit(WINDOWS, TARGETS)
    assert_array_equal(model.predict(WINDOWS), before)


def _refit_failing(name):
    """``(fitted model, a call that refits it and raises part-way, what to predict on)``.

    Each refit fails after the fit had replaced some of the fitted state: before
    ``fit_or_restore``, RelativeRegressor predicted with the old regressor under the new
    scaling (other forecasts, no error), the ensemble reported seeds it was not fitted with,
    and the others kept a new ``n_features_in_`` that refused the fitted windows.
    """
    flat = WINDOWS[:, :, 0]
    if name == "relative":
        model = RelativeRegressor(Ridge(), season_length=2, scale="mean").fit(flat, TARGETS)
        return model, lambda: model.set_params(regressor__alpha=-1.0).fit(
            3 * flat + 100, 3 * TARGETS + 100), flat
    if name == "ensemble":
        model = SeedEnsembleRegressor(Ridge(), n_estimators=2, random_state=0).fit(flat, TARGETS)
        return model, lambda: model.set_params(estimator__alpha=-1.0, random_state=1).fit(
            flat, TARGETS), flat
    if name == "persistence":
        windows, targets = SWT(n_steps_in=12).split(SERIES)
        model = PersistenceForecaster(season_length=12).fit(windows, targets)
        return model, lambda: model.fit(flat, TARGETS), windows  # windows shorter than a season
    table = pd.DataFrame({"y": SERIES}, index=pd.date_range("2000-01", periods=60, freq="MS"))
    model = SWT(n_steps_in=4).fit(table.iloc[:40])
    wider = pd.DataFrame({"y": [1.0, 2.0], "x": [3.0, 4.0]}, index=table.index[40:42])
    return model, lambda: model.fit(wider), table.iloc[40:]  # two rows: fewer than a window


@pytest.mark.parametrize("name", ["relative", "ensemble", "persistence", "transformer"])
def test_failed_refit_of_the_numpy_estimators_leaves_them_as_they_were(name):
    model, refit, data = _refit_failing(name)
    answer = model.transform if name == "transformer" else model.predict
    before, state = answer(data), dict(vars(model))
    with pytest.raises(ValueError):
        refit()
    assert_array_equal(answer(data), before)
    fitted = [k for k in {*state, *vars(model)} if k.endswith("_") and not k.startswith("__")]
    assert [k for k in fitted if vars(model).get(k) is not state.get(k)] == []


@pytest.mark.parametrize("early_stopping", [False, True])
def test_a_diverged_fit_is_refused_and_leaves_the_previous_fit(early_stopping):
    """A learning rate far too high sent the weights to NaN: the fit raised nothing and every
    forecast was NaN (with early stopping the fit failed on its missing best weights,
    with "object of type 'NoneType' has no len()")."""
    model = LF(units=4, epochs=2, random_state=0).fit(WINDOWS, TARGETS)
    before = model.predict(WINDOWS)
    model.set_params(learning_rate=1e6, epochs=6, early_stopping=early_stopping,
                     n_iter_no_change=2)
    with pytest.raises(ValueError, match="training diverged.*Lower learning_rate"):
        model.fit(1e4 * WINDOWS, 1e4 * TARGETS)
    assert_array_equal(model.predict(WINDOWS), before)


@pytest.mark.parametrize("path", ["fused", "early_stopping", "keras_loop"])
def test_an_infinite_training_loss_is_refused_though_the_weights_stay_finite(path):
    """mae on targets near 1e37 overflows float32 in every batch's sum: the loss was inf, the
    weights finite, and the fit kept a model forecasting about 0 for targets of 1e37."""
    options = {"fused": {}, "early_stopping": {"early_stopping": True, "n_iter_no_change": 2},
               "keras_loop": {"callbacks": [keras.callbacks.Callback()]}}[path]
    model = LF(units=4, epochs=2, loss="mae", random_state=0, **options)
    with pytest.raises(ValueError, match=r"weights or its loss became NaN or infinite \(last "
                                         r"training loss inf\)"):
        model.fit(WINDOWS, 1e37 * np.ones(len(WINDOWS)))
    assert not hasattr(model, "model_")
    # targets large but summable train as before
    assert np.isfinite(model.fit(WINDOWS, 1e30 * np.ones(len(WINDOWS))).history_["loss"][-1])


class _Boom(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if epoch == 1:
            raise RuntimeError("interrupted")


@pytest.mark.parametrize("warm_start", [False, True])
def test_fit_interrupted_mid_training_restores_the_model(warm_start):
    model = LF(units=4, epochs=3, random_state=0).fit(WINDOWS, TARGETS)
    before, built = model.predict(WINDOWS), model.model_
    model.set_params(callbacks=[_Boom()], warm_start=warm_start)
    with pytest.raises(RuntimeError, match="interrupted"):
        model.fit(WINDOWS, TARGETS)
    assert model.model_ is built
    assert_array_equal(model.predict(WINDOWS), before)


# -- 4, 5. whose history a table gets ---------------------------------------------------------
def _two_stores(index):
    return pd.DataFrame({"sales": np.r_[np.arange(10.0), 1000 + np.arange(10.0)]}, index=index)


def test_another_series_on_an_integer_index_is_refused_not_continued():
    panel = _two_stores(pd.RangeIndex(20))
    swt = SWT(4).fit(panel.iloc[:10])
    with pytest.raises(ValueError, match="history='restart'"):
        swt.transform(panel.iloc[10:])
    # said explicitly: store B's windows hold only store B
    out = SWT(4, history="restart").fit(panel.iloc[:10]).transform(panel.iloc[10:])
    assert_array_equal(out[0], [1000] * 4)
    assert_array_equal(out[3], [1000, 1001, 1002, 1003])


def test_period_index_continuation_gets_its_history():
    s = pd.Series(np.arange(12.0), index=pd.period_range("2020-01", periods=12, freq="M"))
    swt = SWT(3).fit(s.iloc[:9])
    assert swt.transform(s.iloc[9:])[0].tolist() == [7, 8, 9]


def test_reset_index_and_row_at_a_time_are_refused_not_padded():
    s = pd.Series(np.arange(24.0), index=pd.date_range("2000-01", periods=24, freq="MS"))
    swt = SWT(3).fit(s.iloc[:12])
    with pytest.raises(ValueError, match="cannot tell"):
        swt.transform(s.iloc[12:].reset_index(drop=True))
    assert swt.transform(s.iloc[12:13])[0].tolist() == [10, 11, 12]  # the next month: continues
    with pytest.raises(ValueError, match="rows were skipped"):
        swt.transform(s.iloc[13:14])  # a month later: the fitted rows are not its past
    with pytest.raises(ValueError, match="rows were skipped"):
        SWT(3, history="continue").fit(s.iloc[:12]).transform(s.iloc[13:])
    with pytest.raises(ValueError, match="cannot tell"):
        SWT(3).fit(s.to_numpy()[:12, None]).transform(s.to_numpy()[12:13, None])
    assert SWT(3, history="continue").fit(s.to_numpy()[:12, None]).transform(
        s.to_numpy()[12:13, None])[0].tolist() == [10, 11, 12]


def test_a_scaler_that_drops_the_dates_is_named_with_the_fix():
    """StandardScaler before the windows returns numpy, so a test fold's dates never reach
    the transformer: each fold scored NaN with an error that did not say why the dates were
    missing. The error names set_output(transform='pandas'), with which every fold scores."""
    months = pd.date_range("2000-01", periods=60, freq="MS")
    s = pd.Series(np.sin(np.arange(60) / 3.0), index=months)
    X, y = SWT(3).align(s)
    pipe = make_pipeline(StandardScaler(), SWT(3), Ridge())
    with pytest.raises(ValueError, match=r"set_output\(transform='pandas'\)"):
        pipe.fit(X.iloc[:40], y.iloc[:40]).predict(X.iloc[40:])
    scores = cross_val_score(pipe.set_output(transform="pandas"), X, y, cv=TimeSeriesSplit(3),
                             error_score="raise")
    assert np.isfinite(scores).all() and (scores > 0.9).all()


def test_a_continuation_must_start_after_the_fitted_rows_without_a_frequency():
    """Business days with a holiday have no frequency to say which day comes next; history=
    'continue' then still refuses a table that starts inside the fitted rows (a shuffled KFold's
    test rows), and continues one that starts after them."""
    days = pd.bdate_range("2024-01-01", periods=41).delete(17)  # a holiday: no inferable freq
    s = pd.Series(np.arange(40.0), index=days)
    assert pd.infer_freq(s.index) is None
    X, y = SWT(3).align(s)
    pipe = make_pipeline(SWT(3, history="continue"), Ridge(alpha=1e-9))
    scores = cross_val_score(pipe, X, y, cv=TimeSeriesSplit(3), scoring="neg_mean_absolute_error",
                             error_score="raise")
    assert_allclose(scores, 0.0, atol=1e-6)  # a line, continued with its true history
    with pytest.raises(ValueError, match="not after .*the last row seen in fit.*not KFold"):
        cross_val_score(pipe, X, y, cv=KFold(4, shuffle=True, random_state=0), error_score="raise")
    with pytest.raises(ValueError, match="no regular frequency"):
        SWT(3).fit(s.iloc[:20]).transform(s.iloc[20:])


# -- 6. inputs and target in transform -------------------------------------------------------
def test_transform_windows_only_the_inputs_and_checks_the_target():
    df = pd.DataFrame({"a": np.arange(5.0), "b": 10 + np.arange(5.0), "c": 20 + np.arange(5.0)})
    with pytest.raises(ValueError, match="target='no_such_column'"):
        SWT(2, inputs=["a"], target="no_such_column").fit(df)
    swt = SWT(2, inputs=["a"]).fit(df)
    assert list(swt.get_feature_names_out()) == ["a(t-1)", "a(t)"]
    assert_array_equal(swt.transform(df)[2], [1, 2])
    dependent = SWT(2, target="c").fit(df)  # inputs: every column but the target
    assert list(dependent.get_feature_names_out()) == ["a(t-1)", "b(t-1)", "a(t)", "b(t)"]
    X, _ = SWT(2, target="c").align(df)  # align()'s X has no target column: all are inputs
    assert dependent.fit(X).transform(X).shape == (5, 4)


# -- 7. layout of unnamed multi-series windows --------------------------------------------------
def test_unnamed_windows_of_two_series_are_refused_not_read_as_one():
    data = np.column_stack([np.arange(1.0, 11.0), 1000 + np.arange(1.0, 11.0)])
    X, y = SWT().align(data)
    for last in (PersistenceForecaster(), LF(units=2, epochs=1)):
        with pytest.raises(ValueError, match="n_features=2"):
            make_pipeline(SWT(3), last).fit(X, y)
    pipe = make_pipeline(SWT(3), PersistenceForecaster(n_features=2)).fit(X, y)
    assert pipe[-1].window_shape_ == (3, 2)
    assert_array_equal(pipe.predict(X)[-1], [9, 1009])
    named = make_pipeline(SWT(3), PersistenceForecaster()).set_output(transform="pandas")
    assert named.fit(pd.DataFrame(X, columns=["a", "b"]), y)[-1].window_shape_ == (3, 2)


def test_named_window_columns_in_another_order_are_refused_not_read_by_position():
    """Lag columns built by hand: newest first, or series by series. Read by position, the
    first reversed time and the second read two steps of a as one step of a and b."""
    frame = pd.DataFrame({"a": np.arange(1.0, 13.0), "b": 100 + np.arange(1.0, 13.0)})
    windows = SWT(2).set_output(transform="pandas").fit(frame).transform(frame).iloc[1:]
    assert list(windows.columns) == ["a(t-1)", "b(t-1)", "a(t)", "b(t)"]
    y = frame["a"].shift(-1).iloc[1:-1]
    windows = windows.iloc[:-1]
    right = PersistenceForecaster(target_feature=0).fit(windows, y)
    assert_array_equal(right.predict(windows), windows["a(t)"])  # the last a, step by step
    for order in (["a(t-1)", "a(t)", "b(t-1)", "b(t)"], ["a(t)", "b(t)", "a(t-1)", "b(t-1)"]):
        for model in (PersistenceForecaster(target_feature=0), LF(units=2, epochs=1),
                      RelativeRegressor(Ridge())):
            with pytest.raises(ValueError, match=r"not in the order the network reads a window.*"
                                                 r"\['a\(t-1\)', 'b\(t-1\)', 'a\(t\)', 'b\(t\)'\]"):
                model.fit(windows[order], y)
    with pytest.raises(ValueError, match=r"do not give every series at every step \(no \['a\(t-1\)'"):
        PersistenceForecaster().fit(windows[["b(t-1)", "a(t)"]], y)  # a lag of b, a now
    # known-future steps after the present: in order, they pass
    leads = pd.DataFrame(np.ones((5, 3)), columns=["temp(t-1)", "temp(t)", "temp(t+1)"])
    assert PersistenceForecaster().fit(leads, np.ones(5)).window_shape_ == (3, 1)


# -- 8. beyond float32 ---------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["X", "y"])
def test_values_beyond_float32_are_refused(where):
    X, y = WINDOWS.copy(), TARGETS.copy()
    (X if where == "X" else y)[0] = 1e39
    with pytest.raises(ValueError, match=f"{where} holds values beyond float32"):
        LF(units=2, epochs=1).fit(X, y)


# -- 9. persistence of a dependent target --------------------------------------------------------
def test_persistence_refuses_a_dependent_multi_step_target(dataset):
    X, y = SWT(3, n_steps_out=2, target=2).split(dataset)  # two steps of "out", not in the window
    with pytest.raises(ValueError, match="dependent series"):
        PersistenceForecaster().fit(X, y)
    # the parallel framing of the same width still reads as one value per series
    X, y = SWT(3).split(dataset[:, :2])
    assert_array_equal(PersistenceForecaster().fit(X, y).predict(X[-1:]), [[80, 85]])
    # and asking for series 0 explicitly means two steps of it
    X, y = SWT(3, n_steps_out=2, target=2).split(dataset)
    assert_array_equal(PersistenceForecaster(target_feature=0).fit(X, y).predict(X[:1]), [[30, 30]])


# -- 10. coercions ---------------------------------------------------------------------------------
def test_bool_target_is_refused(frame):
    with pytest.raises(TypeError, match="target=True is a bool"):
        SWT(target=True).split(frame)


def test_duplicate_column_labels_are_refused():
    df = pd.DataFrame(np.arange(12.0).reshape(6, 2), columns=["a", "a"])
    with pytest.raises(ValueError, match="duplicate column labels"):
        SWT(2, target="a").split(df)
    with pytest.raises(ValueError, match="duplicate column labels"):
        SWT(2).fit(df)


def test_dates_as_values_are_refused():
    dates = np.arange("2020-01-01", "2020-01-08", dtype="datetime64[D]")
    with pytest.raises(TypeError, match="dates"):
        SWT(2).split(dates)
    df = pd.DataFrame({"when": pd.date_range("2020", periods=6), "v": np.arange(6.0)})
    with pytest.raises(TypeError, match="'when' holds dates"):
        SWT(2).fit(df)
    with pytest.raises(TypeError, match="dates"):
        LF(units=2, epochs=1).fit(dates[:, None, None].repeat(2, 1), np.arange(7.0))


def test_complex_input_is_refused():
    with pytest.raises(ValueError, match="complex"):
        SWT(2).split(np.arange(6) + 1j)
    with pytest.raises(ValueError, match="complex"):
        LF(units=2, epochs=1).fit(WINDOWS + 1j, TARGETS)


def test_text_and_masked_values_are_refused_not_read():
    # found by the 2026-11-28 probe: numpy text ("1.5") was read as numbers, while the same text
    # in a pandas column was refused; a masked array's hidden values were framed as data
    text = np.array(["1.5", "2", "3", "4", "5", "6"])
    for bad in (text, list(text), text.astype("S"), text.astype(object)):
        with pytest.raises(TypeError, match="holds text"):
            SWT(2).split(bad)
    with pytest.raises(TypeError, match="X holds text"):
        LF(units=2, epochs=1).fit(WINDOWS.astype(str), TARGETS)
    with pytest.raises(TypeError, match="y holds text"):
        PersistenceForecaster().fit(WINDOWS, TARGETS.astype(str))
    masked = np.ma.masked_array(np.arange(8.0), mask=[0, 1] * 4)
    with pytest.raises(ValueError, match="masked array with 4 masked values"):
        SWT(2).split(masked)
    with pytest.raises(ValueError, match="X is a masked array"):
        PersistenceForecaster().fit(np.ma.masked_array(WINDOWS, mask=WINDOWS > 1), TARGETS)
    # numbers in an object array, and a masked array with nothing masked, are still read
    assert_array_equal(SWT(2).split(np.arange(6.0).astype(object))[1], [2, 3, 4, 5])
    assert_array_equal(SWT(2).split(np.ma.masked_array(np.arange(6.0)))[1], [2, 3, 4, 5])


def test_rows_out_of_time_order_are_refused_not_windowed():
    # found by the round-4 probe: a reversed or repeated DatetimeIndex was framed into windows
    # that never happened (17 windows from the reversed series, 18 with a repeated day)
    days = pd.Series(np.arange(20.0), index=pd.date_range("2020-01-01", periods=20, freq="D"))
    shuffled = days.sample(frac=1, random_state=0)
    repeated = pd.concat([days.iloc[:10], days.iloc[9:]])
    for bad in (days.iloc[::-1], shuffled, repeated):
        with pytest.raises(ValueError, match="out of time order or a repeated time"):
            SWT(3).split(bad)
    with pytest.raises(ValueError, match="sort_index"):
        SWT(3).fit(shuffled.to_frame())
    model = make_pipeline(SWT(3), Ridge())
    X, y = SWT(3).align(days)
    model.fit(X, y)
    with pytest.raises(ValueError, match="out of time order"):
        model.predict(X.iloc[::-1])
    with pytest.raises(ValueError, match="out of time order"):
        forecast(model, days.iloc[::-1], 2)
    assert SWT(3).split(days)[0].shape == (17, 3, 1)  # in order: accepted as before


def test_a_skipped_period_is_refused_with_the_fill():
    months = pd.Series(np.arange(24.0), index=pd.period_range("2020-01", periods=24, freq="M"))
    gap = months.drop(months.index[7])  # 2020-08 missing
    with pytest.raises(ValueError, match="skips periods between 2020-07 and 2020-09"):
        SWT(3).split(gap)
    # a multi-month frequency steps by its own unit: consecutive, accepted
    quarters = pd.Series(np.arange(8.0), index=pd.period_range("2020Q1", periods=8, freq="Q"))
    X, y = SWT(3).split(quarters)
    assert_array_equal(X[0, :, 0], [0.0, 1.0, 2.0])
    assert_array_equal(y, np.arange(3.0, 8.0))
    # the filled series frames as the fix says
    filled = gap.reindex(pd.period_range(gap.index[0], gap.index[-1], freq=gap.index.freq))
    X, y = SWT(3).split(filled.interpolate())
    assert X.shape == (21, 3, 1) and y[4] == 7.0
    # in a panel, the series that skips a month is named
    panel = pd.concat({"a": months, "b": gap}, names=["store", "month"])
    with pytest.raises(ValueError, match="series 'b'.*skips periods"):
        SWT(3).split(panel.to_frame("sales"))


def test_warm_start_refuses_a_changed_network():
    model = LF(units=4, epochs=1, random_state=0, warm_start=True).fit(WINDOWS, TARGETS)
    with pytest.raises(ValueError, match="units 4 -> 40"):
        model.set_params(units=40).fit(WINDOWS, TARGETS)
    assert model.model_.layers[1].units == 4
    model.set_params(warm_start=False).fit(WINDOWS, TARGETS)
    assert model.model_.layers[1].units == 40


# -- 11. multi-step walk-forward -------------------------------------------------------------------
def test_multi_step_walk_forward_with_gap_sees_no_test_target():
    h = 3
    data = np.arange(60.0)
    X, y = SWT(n_steps_out=h).align(data)
    for gap, leaks in ((h - 1, False), (0, True)):
        for train, test in TimeSeriesSplit(n_splits=3, gap=gap).split(X):
            marked = data.copy()
            marked[test[0] + 1:] = 1e9  # every value a test row must forecast
            _, y_marked = SWT(n_steps_out=h).align(marked)
            clean = make_pipeline(SWT(4), Ridge()).fit(X[train], y[train])
            dirty = make_pipeline(SWT(4), Ridge()).fit(X[train], y_marked[train])
            assert np.array_equal(clean[-1].coef_, dirty[-1].coef_) != leaks


# -- 12. scoring 3-D targets -----------------------------------------------------------------------
def test_score_and_cross_val_score_on_3d_targets(dataset):
    X, y = SWT(3, n_steps_out=2).split(np.vstack([dataset, dataset + 90]))
    assert y.ndim == 3
    model = PersistenceForecaster().fit(X, y)
    assert np.isfinite(model.score(X, y)) and model.score(X, y) > 0.5
    assert np.isfinite(LF(units=2, epochs=1, random_state=0).fit(X, y).score(X, y))
    scores = cross_val_score(PersistenceForecaster(), X, y, cv=TimeSeriesSplit(2))
    assert np.isfinite(scores).all()


# -- 13, 14. forecast with pipelines and mismatched framings ------------------------------------
def test_forecast_from_a_row_aligned_pipeline(raw_seq):
    X, y = SWT().align(np.asarray(raw_seq, dtype=float))
    pipe = make_pipeline(SWT(3), Ridge(alpha=1e-9)).fit(X, y)
    assert_allclose(forecast(pipe, raw_seq, 3), [100, 110, 120], atol=0.5)
    s = pd.Series(raw_seq, index=pd.date_range("2020-01", periods=9, freq="MS"), dtype=float)
    Xs, ys = SWT().align(s)
    future = forecast(make_pipeline(SWT(3), Ridge(alpha=1e-9)).fit(Xs, ys), s, 2)
    assert future.index[0] == pd.Timestamp("2020-10-01")
    assert_allclose(future, [100, 110], atol=0.5)


def test_forecast_names_the_framing_that_does_not_match(raw_seq):
    model = PersistenceForecaster().fit(*SWT(3).split(raw_seq))
    with pytest.raises(ValueError, match=r"n_steps_in=3\)"):
        forecast(model, raw_seq, 2, framing=SWT(4))
    with pytest.raises(ValueError, match="n_steps_out=2"):
        forecast(model, raw_seq, 2, framing=SWT(3, 2))
    with pytest.raises(ValueError, match="windows of 4 steps x 1 series"):
        model.predict(np.zeros((1, 4, 1)))
    with pytest.raises(ValueError, match="target_offset=0"):
        forecast(model, raw_seq, 2, framing=SWT(3, target_offset=0))


# -- 15. parameters ---------------------------------------------------------------------------------
def test_bool_window_length_is_refused():
    with pytest.raises(TypeError, match="n_steps_in must be an int"):
        SWT(True).split([1.0, 2, 3, 4])
    with pytest.raises(TypeError, match="epochs must be an int"):
        LF(epochs=True).fit(WINDOWS, TARGETS)


def test_changed_window_after_fit_is_refused():
    swt = SWT(3).fit(np.arange(10.0)[:, None])
    with pytest.raises(ValueError, match="n_steps_in changed since fit"):
        swt.set_params(n_steps_in=2).transform(np.arange(10.0)[:, None])


def test_window_longer_than_the_table_is_refused_before_allocating():
    with pytest.raises(ValueError, match="n_steps_in=1000000000000"):
        SWT(10**12).fit_transform(np.arange(5.0)[:, None])


def test_multiindex_column_is_one_target():
    columns = pd.MultiIndex.from_tuples([("store", "a"), ("store", "b")])
    df = pd.DataFrame(np.arange(20.0).reshape(10, 2), columns=columns)
    X, y = SWT(3, target=("store", "b")).split(df)
    assert X.shape == (8, 3, 1) and y[0] == df[("store", "b")].iloc[2]
    with pytest.raises(ValueError, match="Pass several columns as a list"):
        SWT(3, target=("store", "c")).split(df)


@pytest.mark.parametrize("bad", [0, 1.5, True, "abc", "1.5", None])
def test_thread_limit_must_be_a_positive_integer(bad):
    # int() read 1.5 and True as 1 thread, and SKLSTM_NUM_THREADS=abc stopped the import with
    # "invalid literal for int()"; refused before any pool or environment variable is touched
    from sklstm.parallel import limit_threads

    with pytest.raises(ValueError, match="SKLSTM_NUM_THREADS / n_threads must be a positive integer"):
        limit_threads(bad)


def test_the_demo_command_refuses_bad_arguments_and_runs(capsys):
    """`python -m sklstm --epochs 0` ended in a traceback from inside the fit; it is now
    argparse's usage error naming the argument. One epoch still runs the demo end to end."""
    from sklstm.__main__ import main
    for argv, message in ((["--epochs", "0"], "argument --epochs: 0 is below 1"),
                          (["--epochs", "x"], "argument --epochs: 'x' is not an integer"),
                          (["--random-state", "-1"], "argument --random-state: -1 is below 0")):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2 and message in capsys.readouterr().err
    main(["--epochs", "1"])
    out = capsys.readouterr().out
    assert "MAPE lstm:" in out and "MAPE seasonal naive: 9.99%" in out
    ahead = out.split("Forecast for 1961, beyond the data:")[1].splitlines()
    assert [line[:7] for line in ahead if line.startswith("1961")] == [
        f"1961-{m:02d}" for m in range(1, 13)]


def test_sample_weight_reaches_the_models_under_metadata_routing():
    """With scikit-learn's metadata routing on, GridSearchCV routes sample_weight to an
    LSTMForecaster, a RelativeRegressor and the regressor inside it that request it: the
    refitted best model equals a fit given the weights directly, and differs from an
    unweighted one."""
    import sklearn
    from sklstm import RelativeRegressor
    y = np.sin(np.arange(70) / 3.0) + np.arange(70) * 0.02
    X, target = SWT(4).split(y)
    weights = np.r_[np.full(30, 0.01), np.ones(len(target) - 30)]
    cv = TimeSeriesSplit(2)
    with sklearn.config_context(enable_metadata_routing=True):
        ridge = (RelativeRegressor(Ridge().set_fit_request(sample_weight=True))
                 .set_fit_request(sample_weight=True).set_score_request(sample_weight=False))
        lstm = (LF(units=3, epochs=2, random_state=0).set_fit_request(sample_weight=True)
                .set_score_request(sample_weight=False))
        searches = [GridSearchCV(m, grid, cv=cv, error_score="raise").fit(X, target, sample_weight=weights)
                    for m, grid in ((ridge, {"regressor__alpha": [1.0]}), (lstm, {"units": [3]}))]
    for search, plain in zip(searches, (RelativeRegressor(Ridge()),
                                        LF(units=3, epochs=2, random_state=0))):
        weighted = clone(plain).fit(X, target, sample_weight=weights).predict(X)
        assert_allclose(search.best_estimator_.predict(X), weighted, rtol=1e-6)
        assert not np.allclose(clone(plain).fit(X, target).predict(X), weighted, rtol=1e-3)


def test_polars_tables_are_read_by_their_column_names():
    """A polars DataFrame went through numpy, which dropped its column names: target="b" was
    refused as not a column, and a series-id column could not be found ("must be a DataFrame;
    got DataFrame"). It is now read as the same pandas table would be, name for name."""
    pl = pytest.importorskip("polars")
    values = {"a": np.arange(20.0), "b": np.sin(np.arange(20.0)), "id": ["x"] * 10 + ["y"] * 10}
    table, frame = pl.DataFrame(values), pd.DataFrame(values)
    framing = SWT(3, target="b")
    for got, expected in zip(framing.split(table.drop("id")), framing.split(frame.drop(columns="id"))):
        assert_array_equal(got, expected)
    X, y = SWT(3, target="b", inputs=["a", "b"]).align(table.drop("id"))
    assert list(X.columns) == ["a", "b"] and y.name == "b"
    panel = SWT(3, series_id="id")
    for got, expected in zip(panel.split(table.select("id", "a")), panel.split(frame[["id", "a"]])):
        assert_array_equal(got, expected)
    series = pl.Series("a", np.arange(20.0))
    model = make_pipeline(SWT(3), Ridge()).fit(*SWT(3).align(series))
    assert_allclose(forecast(model, series, 2), forecast(model, pd.Series(np.arange(20.0), name="a"), 2))
    with pytest.raises(TypeError, match=r"LazyFrame holds a query.*call .collect\(\) first"):
        framing.split(table.drop("id").lazy())
    from sklstm.calendar import CalendarFeatures
    with pytest.raises(TypeError, match=r"polars tables have no index: X.to_pandas\(\)"):
        CalendarFeatures(["month"]).fit_transform(table)


def test_pyarrow_tables_are_read_as_pandas_would_read_them():
    """numpy read a pyarrow table's dates as epoch nanoseconds and its numeric text as numbers,
    without a word, and dropped a table's index. It now goes through pyarrow's own to_pandas():
    the same refusals as pandas, and a table made from pandas keeps its time index."""
    pa = pytest.importorskip("pyarrow")
    with pytest.raises(TypeError, match="column 'when' holds dates"):
        SWT(2).split(pa.table({"when": pd.date_range("2020", periods=6), "y": np.arange(6.0)}))
    with pytest.raises(TypeError, match=r"non-numeric columns \['y'\]"):
        SWT(2).split(pa.table({"y": ["1", "2", "3", "4", "5"]}))
    values = {"a": np.arange(20.0), "b": np.sin(np.arange(20.0))}
    for got, expected in zip(SWT(3, target="b").split(pa.table(values)),
                             SWT(3, target="b").split(pd.DataFrame(values))):
        assert_array_equal(got, expected)
    assert_array_equal(SWT(3).split(pa.chunked_array([np.arange(8.0)]))[0],
                       SWT(3).split(np.arange(8.0))[0])
    months = pd.period_range("2020-01", periods=24, freq="M")
    series = pd.Series(np.arange(24.0) % 5, index=months, name="y")
    table = pa.Table.from_pandas(series.to_frame())
    model = make_pipeline(SWT(3), Ridge()).fit(*SWT(3).align(table))
    ahead = forecast(model, table, 2)
    assert list(ahead.index) == list(pd.period_range("2022-01", periods=2, freq="M"))
    assert_allclose(ahead, forecast(model, series.to_frame(), 2))
    from sklstm.calendar import CalendarFeatures
    assert CalendarFeatures(["month"]).fit_transform(table)["month"].tolist()[:3] == [1, 2, 3]
    with pytest.raises(TypeError, match="pa.Table.from_pandas"):
        CalendarFeatures(["month"]).fit_transform(pa.table(values))
