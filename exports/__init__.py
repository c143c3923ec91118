"""Renderers: PDF packs, ICS calendars, CSV/XLSX files. Read models in, files out."""
