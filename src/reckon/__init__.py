"""reckon: sanctions lists in one store, with provenance and history."""

__version__ = "0.1.0"
