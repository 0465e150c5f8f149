"""The main window and what only it has: menus and actions, file commands, the run panel and
controller, the summary strip, the settings dialog, and its link to the run journal (resume).
"""
