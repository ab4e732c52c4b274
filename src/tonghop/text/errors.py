"""Errors raised by the text parsers."""


class ParseError(ValueError):
    """A value could not be parsed; the message says what and why."""
