"""PySide6 views: main window, one package per area, item models, workers."""
