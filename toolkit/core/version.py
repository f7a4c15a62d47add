"""The toolkit's version: one place, read by the build backend, the cache key and `--version`."""

__version__ = "0.1.0"
