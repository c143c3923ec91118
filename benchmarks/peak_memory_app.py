"""The app's peak memory with a big campaign open on its scoring sheet.

`python benchmarks/peak_memory_app.py DATABASE CAMPAIGN_ID`: opens the main window on the
database, opens the campaign's window on the Scoring tab, then shows the Results tab and
the Candidates tab in turn (each reads when first shown), waits until each is loaded, then
prints `BENCHMARK rss_mb <peak MB>`.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recruit_app.services.context import Actor
from recruit_app.settings import Settings
from ui.context import AppContext
from ui.main_window import MainWindow

TIMEOUT_MS = 300_000


def peak_rss_kb() -> int:
    """This process's own peak resident memory (VmHWM). Not getrusage's ru_maxrss: Linux
    carries that over from the parent across fork and exec, so a child of a big benchmark
    process would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux


def main() -> None:
    database, campaign_id = sys.argv[1], int(sys.argv[2])
    app = QApplication(sys.argv[:1])
    context = AppContext(Settings(), db_url_override=database, actor=Actor("benchmark"))
    window = MainWindow(context)
    window.show()
    started = False

    def report() -> None:
        print(f"BENCHMARK rss_mb {peak_rss_kb() / 1024:.1f}", flush=True)
        app.quit()

    def open_campaign(_rows: int) -> None:
        nonlocal started
        if started:
            return
        started = True
        campaign = window.open_campaign(campaign_id, "BENCH", "Benchmark")
        # The tabs a manager looks round, in turn: each shown once the one before has read.
        route: list[Any] = [campaign.scoring, campaign.results, campaign.candidates]

        def next_tab() -> None:
            if not route:
                QTimer.singleShot(200, report)  # let the last paint happen
                return
            tab = route.pop(0)

            def read() -> None:
                tab.loaded.disconnect(read)
                QTimer.singleShot(0, next_tab)

            tab.loaded.connect(read)
            campaign.tabs.setCurrentWidget(tab)

        next_tab()

    window.campaigns.loaded.connect(open_campaign)
    QTimer.singleShot(0, window.open_database)
    QTimer.singleShot(TIMEOUT_MS, lambda: app.exit(1))
    code = app.exec()
    context.shutdown()
    sys.exit(code)


if __name__ == "__main__":
    main()
