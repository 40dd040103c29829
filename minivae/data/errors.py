"""The one error type of minivae.data: a data file that is there but unusable.

A missing file is a :class:`FileNotFoundError` (the remedy is "get it"); a file
that exists but is truncated, corrupt, of the wrong format or unsafe to load is
a :class:`DataFileError` (the remedy is "replace it"). It subclasses
``ValueError`` so code that already catches bad values keeps working.
"""


class DataFileError(ValueError):
    """A data file exists but cannot be used; the message names the file, what is wrong and what to do."""
