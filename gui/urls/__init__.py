"""The URL box: a plain-text editor that marks invalid and duplicate lines (editor) and the panel
with its counts and file loading (panel).
"""
