"""Job-posting sources: one module per public ATS feed, plus JobPosting JSON-LD."""
