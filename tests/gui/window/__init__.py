"""Tests of gui/window."""
