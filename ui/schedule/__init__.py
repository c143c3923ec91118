"""The campaign's timetable (key dates on a strip and in a list) and its interview slots."""
