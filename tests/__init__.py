"""Tests for Recruit."""
