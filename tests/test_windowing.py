"""The tutorial's six framings, the row-aligned transform, and bad input."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from sklstm import SlidingWindowTransformer as SWT


def test_univariate_one_step(raw_seq):
    X, y = SWT(n_steps_in=3).split(raw_seq)
    assert X.shape == (6, 3, 1) and y.shape == (6,)
    assert_array_equal(X[0, :, 0], [10, 20, 30])
    assert_array_equal(X[-1, :, 0], [60, 70, 80])
    assert_array_equal(y, [40, 50, 60, 70, 80, 90])


def test_multiple_input_series(dataset):
    X, y = SWT(n_steps_in=3, target=-1).split(dataset)
    assert X.shape == (7, 3, 2) and y.shape == (7,)
    assert_array_equal(X[0], [[10, 15], [20, 25], [30, 35]])
    assert_array_equal(X[-1], [[70, 75], [80, 85], [90, 95]])
    assert_array_equal(y, [65, 85, 105, 125, 145, 165, 185])


def test_multiple_parallel_series(dataset):
    X, y = SWT(n_steps_in=3).split(dataset)
    assert X.shape == (6, 3, 3) and y.shape == (6, 3)
    assert_array_equal(X[0], [[10, 15, 25], [20, 25, 45], [30, 35, 65]])
    assert_array_equal(y[0], [40, 45, 85])
    assert_array_equal(y[-1], [90, 95, 185])


def test_univariate_multi_step(raw_seq):
    X, y = SWT(n_steps_in=3, n_steps_out=2).split(raw_seq)
    assert X.shape == (5, 3, 1) and y.shape == (5, 2)
    assert_array_equal(X[0, :, 0], [10, 20, 30])
    assert_array_equal(y, [[40, 50], [50, 60], [60, 70], [70, 80], [80, 90]])


def test_multiple_input_multi_step(dataset):
    X, y = SWT(n_steps_in=3, n_steps_out=2, target=2).split(dataset)
    assert X.shape == (6, 3, 2) and y.shape == (6, 2)
    assert_array_equal(X[0], [[10, 15], [20, 25], [30, 35]])
    assert_array_equal(y, [[65, 85], [85, 105], [105, 125], [125, 145], [145, 165], [165, 185]])


def test_parallel_multi_step(dataset):
    X, y = SWT(n_steps_in=3, n_steps_out=2).split(dataset)
    assert X.shape == (5, 3, 3) and y.shape == (5, 2, 3)
    assert_array_equal(y[0], [[40, 45, 85], [50, 55, 105]])
    assert_array_equal(X[-1], [[50, 55, 105], [60, 65, 125], [70, 75, 145]])
    assert_array_equal(y[-1], [[80, 85, 165], [90, 95, 185]])


@pytest.mark.parametrize("kind", ["list", "array", "series", "column"])
def test_input_types_agree(raw_seq, kind):
    data = {"list": raw_seq, "array": np.array(raw_seq), "series": pd.Series(raw_seq),
            "column": np.array(raw_seq)[:, None]}[kind]
    X, y = SWT(n_steps_in=3).split(data)
    X_ref, y_ref = SWT(n_steps_in=3).split(raw_seq)
    assert_array_equal(X, X_ref)
    assert_array_equal(y, y_ref)


def test_dataframe_target_by_name(frame, dataset):
    X, y = SWT(n_steps_in=3, target="out").split(frame)
    X_ref, y_ref = SWT(n_steps_in=3, target=2).split(dataset)
    assert_array_equal(X, X_ref)
    assert_array_equal(y, y_ref)


def test_target_offset_override(dataset):
    # forecasting the dependent series one step after the window instead of at its end
    X, y = SWT(n_steps_in=3, target=2, target_offset=1).split(dataset)
    assert X.shape == (6, 3, 2)
    assert_array_equal(y, [85, 105, 125, 145, 165, 185])


def test_align_returns_pandas_with_index(frame):
    X, y = SWT(n_steps_out=2, target="out").align(frame)
    assert isinstance(X, pd.DataFrame) and list(X.columns) == ["in1", "in2"]
    assert isinstance(y, pd.DataFrame) and y.shape == (8, 2)
    assert list(y.columns) == ["out(t+0)", "out(t+1)"]  # the steps ahead of each row
    assert X.index.equals(y.index) and X.index[0] == frame.index[0]
    assert_array_equal(y.iloc[0], [25, 45])  # offset 0: the window's last step and the next


def test_align_univariate_series_is_one_step_ahead():
    s = pd.Series([1.0, 2.0, 3.0, 4.0], name="v")
    X, y = SWT().align(s)
    assert_array_equal(X["v"], [1, 2, 3])
    assert isinstance(y, pd.Series) and y.tolist() == [2, 3, 4]


def test_split_is_align_then_windows(dataset):
    swt = SWT(n_steps_in=3, n_steps_out=2)
    X_rows, y_rows = swt.align(dataset)
    windows = swt.fit(X_rows).transform(X_rows).reshape(len(X_rows), 3, 3)
    X, y = swt.split(dataset)
    assert_array_equal(windows[2:], X)
    assert_array_equal(y_rows[2:], y)


# -- row-aligned transform ----------------------------------------------------
def test_transform_rows_in_equal_rows_out_and_edge_padding():
    X = np.arange(10, dtype=float).reshape(5, 2)
    Xt = SWT(n_steps_in=3).fit_transform(X)
    assert Xt.shape == (5, 6)
    assert_array_equal(Xt[0], [0, 1, 0, 1, 0, 1])       # no history: edge padded
    assert_array_equal(Xt[1], [0, 1, 0, 1, 2, 3])
    assert_array_equal(Xt[4], [4, 5, 6, 7, 8, 9])        # rows 2, 3, 4


def test_fit_transform_equals_fit_then_transform():
    X = np.random.RandomState(0).rand(20, 3)
    swt = SWT(n_steps_in=4, history="restart")
    assert_array_equal(swt.fit_transform(X), SWT(n_steps_in=4).fit(X).transform(X))
    # stateless: transforming another table does not depend on what was fitted
    assert_array_equal(swt.transform(X[5:]), SWT(n_steps_in=4).fit(X[5:]).transform(X[5:]))


def test_no_future_value_enters_a_window():
    X = np.arange(30, dtype=float)[:, None]
    marked = X.copy()
    marked[11:] = 1e9  # everything after row 10
    swt = SWT(n_steps_in=5, history="restart").fit(X)
    assert_array_equal(swt.transform(marked)[:11], swt.transform(X)[:11])
    assert (swt.transform(marked)[:11] < 1e9).all()


def test_feature_names_and_pandas_output(frame):
    swt = SWT(n_steps_in=2).set_output(transform="pandas").fit(frame)
    names = ["in1(t-1)", "in2(t-1)", "out(t-1)", "in1(t)", "in2(t)", "out(t)"]
    assert list(swt.get_feature_names_out()) == names
    out = swt.transform(frame)
    assert list(out.columns) == names and out.index.equals(frame.index)
    assert_array_equal(out.iloc[3], frame.iloc[2:4].to_numpy().ravel())


# -- bad input -----------------------------------------------------------------
def test_nan_rejected():
    with pytest.raises(ValueError, match="NaN"):
        SWT().split([1.0, np.nan, 3.0, 4.0, 5.0])


def test_too_short_series_names_parameters():
    with pytest.raises(ValueError, match="n_steps_in=5.*n_steps_out=2"):
        SWT(n_steps_in=5, n_steps_out=2).split([1, 2, 3, 4, 5, 6])


def test_n_steps_in_must_be_positive():
    with pytest.raises(ValueError, match="n_steps_in"):
        SWT(n_steps_in=0).split([1, 2, 3, 4])


def test_unknown_target_column(frame):
    with pytest.raises(ValueError, match="target='nope'"):
        SWT(target="nope").split(frame)


def test_non_numeric_column():
    df = pd.DataFrame({"a": [1.0, 2, 3, 4, 5], "b": list("vwxyz")})
    with pytest.raises(TypeError, match=r"non-numeric columns \['b'\]"):
        SWT(n_steps_in=2).split(df)


def test_three_dimensional_data_rejected():
    with pytest.raises(ValueError, match="1-D .* or 2-D"):
        SWT().split(np.zeros((5, 2, 2)))


def test_target_naming_every_column_without_inputs(dataset):
    with pytest.raises(ValueError, match="no input column"):
        SWT(target=[0, 1, 2]).split(dataset)


def test_transform_checks_column_count():
    swt = SWT().fit(np.zeros((5, 2)))
    with pytest.raises(ValueError, match="features"):
        swt.transform(np.zeros((5, 3)))


def test_test_fold_continuing_the_fit_gets_its_true_history(frame):
    swt = SWT(n_steps_in=3).fit(frame.iloc[:5])
    # rows 5.. continue the fitted index: their windows reach back into rows 3 and 4
    assert_array_equal(swt.transform(frame.iloc[5:]), SWT(n_steps_in=3).fit_transform(frame)[5:])
    # a table that does not continue it (a gap) is refused, or edge padded when asked
    # (with a message naming the gap and the 3-D windows that cross-validate across one)
    with pytest.raises(ValueError, match=r"rows were skipped .* cross-validate on 3-D windows"):
        swt.transform(frame.iloc[6:])
    with pytest.raises(ValueError, match="rows were skipped"):
        SWT(n_steps_in=3, history="continue").fit(frame.iloc[:5]).transform(frame.iloc[6:])
    gap = swt.set_params(history="restart").transform(frame.iloc[6:])
    assert_array_equal(gap[0], np.tile(frame.iloc[6].to_numpy(), 3))


def test_continuation_with_positional_index_and_no_future_leak():
    df = pd.DataFrame({"v": np.arange(10.0)})
    swt = SWT(n_steps_in=4, history="continue").fit(df.iloc[:6])
    out = swt.transform(df.iloc[6:])
    assert_array_equal(out[0], [3, 4, 5, 6])
    assert swt.history_.ravel().tolist() == [3, 4, 5]


def test_continuation_on_a_default_index_refuses_skipped_rows():
    """history='continue' on a RangeIndex trusted a fold after a CV gap: windows jumped it."""
    df = pd.DataFrame({"v": np.arange(20.0)})
    swt = SWT(n_steps_in=4, history="continue").fit(df.iloc[:10])
    with pytest.raises(ValueError, match=r"starts at row 12, after row 10.* rows were skipped"):
        swt.transform(df.iloc[12:])
    assert_array_equal(swt.transform(df.iloc[10:])[0], [7, 8, 9, 10])
    # an index reset to 0 (a table rebuilt from arrays) may still be the next rows: trusted
    assert_array_equal(swt.transform(df.iloc[10:].reset_index(drop=True))[0], [7, 8, 9, 10])
    # integers that do not count rows (years with a hole, steps of 5) say nothing about gaps
    years = pd.DataFrame({"v": np.arange(6.0)}, index=[1990, 1991, 1993, 1994, 1995, 1996])
    out = SWT(n_steps_in=2, history="continue").fit(years).transform(
        pd.DataFrame({"v": [9.0]}, index=[1999]))
    assert_array_equal(out, [[5.0, 9.0]])
    # a panel's series are checked one by one
    panel = pd.DataFrame({"v": np.arange(40.0)},
                         index=pd.MultiIndex.from_product([["a", "b"], range(20)]))
    fitted = SWT(n_steps_in=3, history="continue").fit(panel.xs(slice(0, 9), level=1,
                                                                drop_level=False))
    later = panel[panel.index.get_level_values(1) >= 10]
    assert fitted.transform(later).shape == (20, 3)
    with pytest.raises(ValueError, match=r"series 'b' of X starts at row 11, after row 10"):
        fitted.transform(later.drop(("b", 10)))
