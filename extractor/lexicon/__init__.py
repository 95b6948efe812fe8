"""Versioned lexicons (data files in ``data/``), one loader each."""
