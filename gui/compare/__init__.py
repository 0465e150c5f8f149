"""The comparison window: the same batch in sync, threads and async side by side, with the live feed
of each run, the mode cards and rows, and CSV/PNG export.
"""
