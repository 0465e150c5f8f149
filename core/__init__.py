"""Fetchlens engine: everything the app does, without a window (never imports Qt)."""

__version__ = "0.1.0"
