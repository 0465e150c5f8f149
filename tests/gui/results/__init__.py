"""Tests of gui/results."""
