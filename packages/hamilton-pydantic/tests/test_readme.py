"""The README's example runs as it says."""

import logging
import pathlib
import re

import pytest

from hamilton import ad_hoc_utils, driver
from hamilton.data_quality.base import DataValidationError

README = pathlib.Path(__file__).parent.parent / "README.md"


def test_the_readme_example(caplog):
    (code,) = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    namespace: dict = {"__name__": "readme_example"}
    exec(compile(code, str(README), "exec"), namespace)
    module = ad_hoc_utils.create_temporary_module(namespace["repo"], namespace["repo_record"])
    dr = driver.Builder().with_modules(module).build()
    raw = {"name": "hamilton", "owner": {"name": "apache"}, "stars": 3}
    with caplog.at_level(logging.WARNING):
        result = dr.execute(["repo", "repo_record"], inputs={"raw": raw})
    assert result["repo"] == raw
    assert result["repo_record"]["stars"] == "3"
    assert any("[repo_record:pydantic_validator]" in r.getMessage() for r in caplog.records)
    with pytest.raises(DataValidationError, match=r"\[repo:pydantic_validator\]"):
        dr.execute(["repo"], inputs={"raw": {**raw, "stars": "3"}})
