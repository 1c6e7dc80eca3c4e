import numpy as np
import pandas as pd
import pytest

RAW = [10, 20, 30, 40, 50, 60, 70, 80, 90]


@pytest.fixture(scope="session")
def raw_seq():
    """The tutorial's univariate series."""
    return list(RAW)


@pytest.fixture(scope="session")
def dataset():
    """The tutorial's three parallel series: in_seq1, in_seq2 and their sum."""
    in1 = np.array(RAW)
    in2 = in1 + 5
    return np.column_stack([in1, in2, in1 + in2])


@pytest.fixture(scope="session")
def frame(dataset):
    return pd.DataFrame(dataset, columns=["in1", "in2", "out"],
                        index=pd.date_range("2020-01-01", periods=9, freq="D"))
