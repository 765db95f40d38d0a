"""Scenario: an importable module for a driver that is pickled and unpickled."""


def greeting(name: str) -> str:
    return f"hello {name}"


def shout(greeting: str) -> str:
    return greeting.upper()
