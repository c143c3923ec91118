"""Developer tool: remake the README screenshots from the demo data.

Run under a display (e.g. `xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python
docs/screenshots.py`) with RECRUIT_APP_HOME pointing at a folder where `recruit-app demo`
has been run. Not part of the app or its tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from recruit_app.settings import Settings
from ui.context import AppContext
from ui.main_window import MainWindow

OUT = Path(__file__).parent
TABS = {
    "Stages": "stages.png",
    "Timetable": "timetable.png",
    "Candidates": "candidates.png",
    "Scoring": "scoring.png",
    "Results": "results.png",
    "Interview slots": "interview-slots.png",
    "Exports": "exports.png",
}
SLOW_TABS = {"Exports": 5000}  # the preview renders pages in a worker first


def main() -> None:
    app = QApplication(sys.argv)
    context = AppContext(Settings())
    window = MainWindow(context)
    window.resize(1100, 560)
    window.show()
    QTimer.singleShot(0, window.open_database)
    done: set[str] = set()

    def after_list(_rows: int) -> None:
        if "list" in done:
            return
        done.add("list")
        page = window.campaigns
        page.table.selectRow(0)
        QTimer.singleShot(300, shoot_list)

    def shoot_list() -> None:
        window.grab().save(str(OUT / "main-window.png"))
        window.resize(1280, 800)
        window.navigation.setCurrentRow(1)
        QTimer.singleShot(1500, shoot_library)

    def shoot_library() -> None:
        window.grab().save(str(OUT / "library.png"))
        window.navigation.setCurrentRow(2)
        QTimer.singleShot(1500, shoot_people)

    def shoot_people() -> None:
        window.people.table.selectRow(1)
        window.grab().save(str(OUT / "people.png"))
        window.navigation.setCurrentRow(3)
        QTimer.singleShot(1500, shoot_audit)

    def shoot_audit() -> None:
        window.grab().save(str(OUT / "audit-trail.png"))
        window.navigation.setCurrentRow(0)
        page = window.campaigns
        demo = next(c for c in page.model._all if c.reference == "283922")
        campaign = window.open_campaign(demo.id, demo.reference, demo.title)
        campaign.resize(1400, 880)
        campaign.advert.previewed.connect(lambda: QTimer.singleShot(500, lambda: finish(campaign)))

    def finish(campaign) -> None:  # type: ignore[no-untyped-def]
        if "builder" in done:
            return
        done.add("builder")
        campaign.grab().save(str(OUT / "advert-builder.png"))
        shoot_tabs(campaign, list(TABS))

    def shoot_tabs(campaign, remaining: list[str]) -> None:  # type: ignore[no-untyped-def]
        if not remaining:
            app.quit()
            return
        label = remaining.pop(0)
        tabs = campaign.tabs
        tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == label))

        def shoot() -> None:
            campaign.grab().save(str(OUT / TABS[label]))
            shoot_tabs(campaign, remaining)

        QTimer.singleShot(SLOW_TABS.get(label, 1500), shoot)

    window.campaigns.loaded.connect(after_list)
    app.exec()
    context.shutdown()


if __name__ == "__main__":
    main()
