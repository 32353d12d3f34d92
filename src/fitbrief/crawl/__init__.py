"""Crawling a company's public pages: HTTP, robots.txt, discovery, the crawl loop."""
