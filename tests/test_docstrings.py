"""Every numpydoc example in the package runs and prints what it says."""

import doctest
import importlib
import pkgutil

import pytest

import sklstm

# __main__ runs the airline demo when imported as a script; its docstring has no example
MODULES = [info.name for info in pkgutil.iter_modules(sklstm.__path__, "sklstm.")
           if info.name != "sklstm.__main__"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name),
                             optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"


def test_the_public_estimators_each_have_an_example():
    for name in ("SlidingWindowTransformer", "LSTMForecaster", "PersistenceForecaster",
                 "RelativeRegressor", "SeedEnsembleRegressor", "PanelTimeSeriesSplit"):
        examples = doctest.DocTestFinder().find(getattr(sklstm, name), name)
        assert sum(len(test.examples) for test in examples) > 0, name
