"""Modules of decorated functions for test_expanders.py (no dataframe types: those need the
table backend, which is registered only once the session fixture has run)."""
