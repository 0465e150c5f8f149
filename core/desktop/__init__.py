"""Putting Fetchlens in the desktop's menu: the files a launcher needs on Linux, macOS and Windows
(content) and installing or removing them (launcher). Not part of the engine.
"""
