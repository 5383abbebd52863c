"""Answers over the resolved store: status per jurisdiction, gaps, timelines, changes."""
