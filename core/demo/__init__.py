"""The built-in offline demo site (an outdoor-gear shop on 127.0.0.1) served from the app's own loop,
so every mode can be tried without the internet; a few of its pages fail, redirect or are slow on purpose.
"""
