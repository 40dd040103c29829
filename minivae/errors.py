"""The one exception every command-line mistake becomes: a single line for the learner."""


class UserError(Exception):
    """A mistake in the command line or the environment, reported in one line."""
