"""The version of reform-gate, on its own so that any layer can name it in an audit or a log."""

__version__ = "0.1.0"
