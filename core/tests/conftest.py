"""Core test configuration."""

import os

from hypothesis import settings


def pytest_configure(config):
    # A deprecated code path must be asserted with pytest.warns, never hit silently.
    config.addinivalue_line("filterwarnings", "error::hamilton.deprecation.RemovedInHamilton3Warning")


settings.register_profile("ci", deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
