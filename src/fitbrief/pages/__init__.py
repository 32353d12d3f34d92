"""Page understanding: HTML to main text, metadata, JSON-LD, page kind and passages."""
