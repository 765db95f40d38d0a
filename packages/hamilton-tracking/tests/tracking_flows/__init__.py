"""Dataflows the tracking tests run (importable, so worker processes can unpickle them)."""
