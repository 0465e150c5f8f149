"""Tests of gui/compare."""
