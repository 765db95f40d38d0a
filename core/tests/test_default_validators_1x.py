"""1.x's pandas validator names on hamilton.data_quality.default_validators, without the plugin.

With hamilton-pandas installed the names resolve to the plugin's classes (its own tests check
that); here: core never imports pandas for them, and a missing plugin names the extra.
"""

import subprocess
import sys

import pytest

from hamilton.data_quality import default_validators


def test_importing_the_module_does_not_import_pandas():
    probe = (
        "import sys\n"
        "import hamilton.data_quality.default_validators as d\n"
        "print('pandas' in sys.modules, 'DataInRangeValidatorPandasSeries' in dir(d))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def test_a_missing_pandas_plugin_names_the_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "hamilton.plugins.pandas_validators", None)  # as if not installed
    with pytest.raises(ImportError, match=r'pip install "apache-hamilton\[pandas\]"'):
        default_validators.MaxFractionNansValidatorPandasSeries
    with pytest.raises(ImportError, match=r'pip install "apache-hamilton\[pandas\]"'):
        from hamilton.data_quality.default_validators import AllowNaNsValidatorPandasSeries  # noqa: F401


def test_other_unknown_names_are_plain_attribute_errors():
    with pytest.raises(AttributeError, match="NoSuchValidator"):
        default_validators.NoSuchValidator
    assert not hasattr(default_validators, "NoSuchValidator")
