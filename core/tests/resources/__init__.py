"""Helper modules used as dataflows by the core test suite (one module per scenario)."""
