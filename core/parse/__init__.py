"""Reading a fetched page: its encoding by the WHATWG rules (charset), its fields from one parsed tree
(extract, facts), in a pool of worker processes so parsing never blocks the event loop or the window (pool).
"""
