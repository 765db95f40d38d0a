"""Scenario support: a small class hierarchy for type-compatibility tests."""


class Base:
    pass


class Child(Base):
    pass


class GrandChild(Child):
    pass


class Unrelated:
    pass
