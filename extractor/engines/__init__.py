"""Engines run the one pipeline over many articles: resume, failures record, progress."""
