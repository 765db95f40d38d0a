"""Modules that subdag / parameterized_subdag / with_columns tests build subdags from."""
