"""Fixtures for driving real widgets offscreen."""

from __future__ import annotations

import pytest

from recruit_app.services.context import Actor
from recruit_app.settings import Settings
from ui.context import AppContext
from ui.main_window import MainWindow


@pytest.fixture
def make_window(qtbot, app_home):
    """Build a main window on a given database URL and wait until its list is loaded."""
    contexts: list[AppContext] = []

    def make(db_url: str, *, wait: bool = True) -> MainWindow:
        context = AppContext(Settings(), db_url_override=db_url, actor=Actor("Alex Manager"))
        contexts.append(context)
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.resize(1100, 650)
        window.show()
        if wait:
            with qtbot.waitSignal(window.campaigns.loaded, timeout=10_000):
                window.open_database()
        else:
            window.open_database()
        return window

    yield make
    for context in contexts:
        context.shutdown()


@pytest.fixture
def window(make_window, sqlite_url):
    return make_window(sqlite_url)
