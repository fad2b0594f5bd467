"""Pieces that more than one panel builds the same way (the run list, files dropped on a page)."""
