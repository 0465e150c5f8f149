"""The history window: past runs from the journal as a table (model), the run detail (parts), and
opening, exporting, deleting, resuming and retrying runs (window).
"""
