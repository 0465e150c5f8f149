"""Tests of gui/history."""
