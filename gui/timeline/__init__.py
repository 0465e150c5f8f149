"""The request timeline: its geometry (model), painting, the scrolling view, image export, time
formatting, and the histogram of per-URL times.
"""
