"""Baseline: a bare PySide6 window (optionally after importing sqlmodel and opening a DB).

Prints `BENCHMARK painted <wall-clock time>` at the window's first paint, then quits.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class FirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, report)
        return False


def report() -> None:
    print(f"BENCHMARK painted {time.time():.6f}", flush=True)
    QApplication.quit()


def main() -> None:
    if len(sys.argv) > 1:  # the same database the app opens
        import sqlmodel
        from sqlalchemy import text

        engine = sqlmodel.create_engine(f"sqlite:///{sys.argv[1]}")
        with engine.connect() as connection:
            connection.execute(text("SELECT count(*) FROM sqlite_master")).scalar()
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.resize(1100, 700)
    window.installEventFilter(FirstPaint(window))
    window.show()
    app.exec()


if __name__ == "__main__":
    main()
