"""Fetching one URL: the aiohttp fetcher (asynchronous) for async mode, the requests fetcher (blocking)
for sync and threads, and what both share (common: the record of an attempt, Retry-After, body caps).
"""
