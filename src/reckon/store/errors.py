"""The store's one error type, shared by import, access and maintenance."""


class StoreError(RuntimeError):
    """What the store refuses, in one line; the database is unchanged."""
