"""Tests of gui/urls."""
