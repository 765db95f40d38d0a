"""One small local Ray for the whole test session (starting Ray takes seconds).

Ray is told not to write an authentication token into HOME, not to report usage, and to run
no dashboard.
"""

import os

import pytest

os.environ.setdefault("RAY_AUTH_MODE", "disabled")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
os.environ.setdefault("HAMILTON_TELEMETRY_ENABLED", "false")

CUSTOM_RESOURCE = "hamilton_test_slot"  # a resource only this test Ray has
HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture(scope="session")
def ray_cluster():
    """A running local Ray (2 CPUs and one unit of a custom resource), shut down at the end."""
    import ray

    ray.init(
        num_cpus=2,
        include_dashboard=False,
        resources={CUSTOM_RESOURCE: 1},
        ignore_reinit_error=True,
        _node_ip_address="127.0.0.1",
        log_to_driver=False,
        # The workers import the tests' node modules by name, as the driver does.
        runtime_env={"env_vars": {"PYTHONPATH": os.pathsep.join(filter(None, [HERE, os.environ.get("PYTHONPATH")]))}},
    )
    yield ray
    ray.shutdown()
