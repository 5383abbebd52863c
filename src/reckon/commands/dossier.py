"""`reckon` commands: dossier (placeholder until its commands land)."""

from __future__ import annotations
