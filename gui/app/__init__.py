"""What the whole application shares: start-up and shutdown (runtime), the excepthook, translations,
the settings store, colours, words, awaitable dialogs, the stall monitor, tasks and the About box.
"""
