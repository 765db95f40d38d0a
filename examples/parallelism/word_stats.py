"""Word statistics over a set of documents, one document at a time in parallel.

``document`` fans out: each document runs through ``words`` and ``longest_word`` on its own;
``lines`` fans out again *inside* each document (a nested block) so each line is counted
separately; ``Collect[...]`` parameters gather the per-item values back, in order.
"""

from hamilton.htypes import Collect, Parallelizable


def document(documents: dict) -> Parallelizable[tuple]:
    """One (title, text) pair per document."""
    yield from documents.items()


def words(document: tuple) -> list:
    """The words of one document."""
    return document[1].split()


def longest_word(words: list) -> str:
    """The longest word of one document."""
    return max(words, key=len)


def line(document: tuple) -> Parallelizable[str]:
    """The lines of one document (a fan-out inside the document's fan-out)."""
    yield from document[1].splitlines()


def line_length(line: str) -> int:
    """Characters in one line."""
    return len(line)


def longest_line(line_length: Collect[int]) -> int:
    """The longest line of one document."""
    return max(line_length, default=0)


def summary(document: tuple, words: list, longest_word: str, longest_line: int) -> str:
    """One line about one document."""
    return f"{document[0]}: {len(words)} words, longest word {longest_word!r}, longest line {longest_line} chars"


def report(summary: Collect[str]) -> str:
    """Every document's summary, in the order the documents were given."""
    return "\n".join(summary)


def total_words(words: Collect[list]) -> int:
    """Words across all documents (a second Collect over the same fan-out)."""
    return sum(len(each) for each in words)
