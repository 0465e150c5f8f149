"""Tests of gui/timeline."""
