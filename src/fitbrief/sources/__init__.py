"""Job-posting sources: one module per ATS API, JobPosting JSON-LD, the shared parsing
(``normalize``), and the registry every other part reads the list of sources from."""
