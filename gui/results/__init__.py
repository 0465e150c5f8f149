"""The results table: one model row per URL with in-model sorting and filtering (model, rows, order),
the view and its progress delegate, and the panel with the filter bar.
"""
