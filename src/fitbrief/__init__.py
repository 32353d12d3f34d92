"""fitbrief: research companies, score cultural fit, and learn from interviews."""

__version__ = "0.1.0"
