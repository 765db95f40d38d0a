"""Core test configuration."""

import os
import shutil
import tempfile

from hypothesis import configuration, settings

# Hypothesis keeps files in ./.hypothesis by default; tests must leave nothing behind.
_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="hamilton-hypothesis-")
configuration.set_hypothesis_home_dir(_HYPOTHESIS_HOME)


def pytest_configure(config):
    # A deprecated code path must be asserted with pytest.warns, never hit silently.
    config.addinivalue_line("filterwarnings", "error::hamilton.deprecation.RemovedInHamilton3Warning")


def pytest_unconfigure(config):
    shutil.rmtree(_HYPOTHESIS_HOME, ignore_errors=True)


# CI explores the same examples on every run (derandomize): a property test that finds a new
# counterexample by chance fails a local run, where it can be fixed, not an unrelated CI run.
settings.register_profile("ci", deadline=None, print_blob=True, database=None, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
