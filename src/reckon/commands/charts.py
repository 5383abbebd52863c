"""`reckon` commands: charts (placeholder until its commands land)."""

from __future__ import annotations
