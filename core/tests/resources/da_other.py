"""Scenario: a second module, alongside da_flow."""


def other_output(constant: str) -> str:
    return constant.upper()
