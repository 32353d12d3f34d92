"""The store: the one DuckDB file every stage reads and writes, and all of fitbrief's SQL.

One module per aggregate (companies, pages, postings, research, interviews), each taking and
returning the records of ``fitbrief.records``; ``database`` holds connections and migrations,
``query`` the read-only access ``fitbrief sql`` and ``db info`` give.
"""

from fitbrief.store.database import LATEST_VERSION, Database

__all__ = ["LATEST_VERSION", "Database"]
