"""Running a batch: the engine that drives every mode (engine), the observer contract it reports
to (observer), the summary figures (stats) and the three-mode comparison (compare).
"""
