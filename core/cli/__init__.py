"""The command line: the argument parser the window shares, the settings it gives, and the headless
runs (streamed, in memory, continued from the journal, on a cluster) with what they print and write.
"""
