"""Bare-library scripts the jobs are compared with."""
