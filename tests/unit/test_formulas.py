"""Formula-like text in the spreadsheets the app writes: defused, and restored exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recruit_app.domain.formulas import neutralise, restore

# Moved from test_results.py with the rule; "'=1" now gets a second apostrophe so that
# reading a file back gives exactly what was written.


@pytest.mark.parametrize(
    "text", ["=SUM(A1:A2)", "+44 20 7946 0000", "-1", "@cmd", "\tx", "\rx", "'=1", "''-2"]
)
def test_neutralise_defuses_formula_starts(text: str):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Jane Smith", "", "a=b", " =1", "'", "'plain", 5, -5, 4.5, None])
def test_neutralise_leaves_safe_values_alone(value: object):
    assert neutralise(value) is value


@given(st.text(alphabet=st.sampled_from("'=+-@\t\rab 1"), max_size=8) | st.text(max_size=20))
def test_restore_gives_back_exactly_what_was_neutralised(text: str):
    written = neutralise(text)
    assert isinstance(written, str)
    assert restore(written) == text
    # Whatever is written never starts as a formula.
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))
