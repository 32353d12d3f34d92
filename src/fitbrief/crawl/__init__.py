"""The crawl: best-first over a company's site, polite per host, writing to a page sink."""
