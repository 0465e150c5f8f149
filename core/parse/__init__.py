"""Reading a fetched page: title, links and meta with BeautifulSoup (extract), in a pool of worker
processes so parsing never blocks the event loop or the window (pool).
"""
