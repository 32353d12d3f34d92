"""The stages wired together: one function per command that reads, computes and stores.

``research`` crawls, extracts and fetches postings; ``culture`` keeps culture profiles;
``fit`` scores and compares; ``brief`` assembles briefs; ``debrief`` records interviews.
"""
