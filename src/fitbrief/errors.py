"""The exception tree.  The library raises these; only the CLI turns them into messages."""


class FitbriefError(Exception):
    """Base class: every error fitbrief expects and can explain in one line."""

    exit_code = 1


class ConfigError(FitbriefError):
    """A configuration file or value is wrong (names the file, line or key)."""

    exit_code = 2


class UsageError(FitbriefError):
    """Bad input given on the command line or in an input file."""

    exit_code = 2


class DatabaseError(FitbriefError):
    """The database file cannot be used."""


class DatabaseBusy(DatabaseError):
    """Another process holds the database."""


class SchemaTooNew(DatabaseError):
    """The database was written by a newer fitbrief."""


class NotFound(FitbriefError):
    """A named thing (company, job, interview) is not stored."""


class AlreadyExists(FitbriefError):
    """A thing with that name is stored already."""


class FetchError(FitbriefError):
    """A URL could not be fetched (the message names the URL)."""


class BlockedHost(FetchError):
    """A URL points at a private or loopback address and private hosts are not allowed."""


class SourceError(FetchError):
    """A job-posting source answered with something unusable."""


class ExtractionError(FitbriefError):
    """Nothing could be extracted from a document."""


class ProfileError(FitbriefError):
    """The user's values profile is missing or malformed."""

    exit_code = 2


class InsufficientData(FitbriefError):
    """The research stored for a company is too thin for the requested output."""
