"""tonghop — the reporting desk of a Vietnamese administrative office."""

__version__ = "0.1.0"
