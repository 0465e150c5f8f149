"""The Fetchlens desktop window: a PySide6 adapter over core/ (which never imports Qt).

One package per thing a user sees (window, urls, results, timeline, compare, history), plus app for what they share.
"""
