"""Tests of gui/app."""
