"""The README's python blocks run as a new user would paste them (the Dask one needs a cluster).

A block's printed results are not compared (they are figures of the text, some from longer
runs); what is checked is that each block runs to its end with the package as it is now. The
walk-forward block (a GridSearchCV of LSTMs, ~45 s) is marked slow; a block importing
statsforecast (the ``bench`` extra) is skipped where it is not installed.
"""

import importlib.util
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def _params():
    for number, code in enumerate(BLOCKS, start=1):
        marks = []
        if "Client(" in code:
            marks.append(pytest.mark.skip(reason="connects to a remote Dask scheduler"))
        elif "GridSearchCV(" in code:
            marks.append(pytest.mark.slow)
        if "from statsforecast" in code and importlib.util.find_spec("statsforecast") is None:
            marks.append(pytest.mark.skip(reason="needs statsforecast (the bench extra)"))
        yield pytest.param(code, id=f"block{number}", marks=marks)


def test_the_readme_has_its_blocks():
    assert len(BLOCKS) >= 6


@pytest.mark.parametrize("code", list(_params()))  # pytest 9 deprecates generators
def test_readme_block_runs(code, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib").use("Agg")
    monkeypatch.chdir(tmp_path)  # a block that saves a figure writes it here
    exec(compile(code, str(README), "exec"), {"__name__": "__readme__"})
