"""Tests: the benchmarks' bare baselines do the same work as the app."""
