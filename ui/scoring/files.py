"""The file types the scoring tab offers for importing scores."""

from __future__ import annotations

FILE_FILTERS = [
    "Scores (*.xlsx *.xlsm *.csv *.txt)",
    "Scoring workbook (*.xlsx *.xlsm)",
    "CSV file (*.csv *.txt)",
    "All files (*)",
]
