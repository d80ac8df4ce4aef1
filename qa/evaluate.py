"""Evaluation on labelled questions (filled in below)."""
