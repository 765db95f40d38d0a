"""hamilton.registry's 1.x config-file switch for extension autoloading, and hamilton.common."""

import pytest

from hamilton import common, registry


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    path = tmp_path / ".hamilton.conf"
    monkeypatch.setattr(registry, "DEFAULT_CONFIG_LOCATION", path)
    monkeypatch.delenv(registry.HAMILTON_AUTOLOAD_ENV, raising=False)
    return path


def test_the_config_file_is_the_users_hamilton_conf():
    assert registry.DEFAULT_CONFIG_LOCATION.name == ".hamilton.conf"


def test_config_disable_autoload_writes_the_switch_and_sets_the_environment(config_file, monkeypatch):
    import os

    registry.config_disable_autoload()
    assert "hamilton_autoload_extensions = 0" in config_file.read_text()
    monkeypatch.delenv(registry.HAMILTON_AUTOLOAD_ENV, raising=False)
    config = registry.load_autoload_config()
    assert config.get("DEFAULT", registry.HAMILTON_AUTOLOAD_ENV) == "0"
    assert os.environ[registry.HAMILTON_AUTOLOAD_ENV] == "0"


def test_config_enable_autoload_removes_the_switch(config_file):
    registry.config_disable_autoload()
    registry.config_enable_autoload()
    assert "autoload" not in config_file.read_text()
    assert not registry.load_autoload_config().has_option("DEFAULT", registry.HAMILTON_AUTOLOAD_ENV)


def test_without_a_config_file_nothing_changes(config_file):
    import os

    assert not registry.load_autoload_config().defaults()
    assert registry.HAMILTON_AUTOLOAD_ENV not in os.environ


def test_convert_output_value_reports_materializer_dependencies_as_1x_did():
    assert common.convert_output_value("a", {"m"}) == ("a", None)
    name, error = common.convert_output_value(object(), {"m"})
    assert name is None
    assert error.startswith("Materializer dependency <object object")
    assert error.endswith("is not a string, a function, or a driver.Variable.")

    def stray():
        pass

    assert common.convert_output_value(stray, {"m"})[1].endswith(
        "not in a module given to the materializer. Valid choices are {'m'}."
    )


def test_driver_requests_keep_their_own_wording():
    with pytest.raises(ValueError, match="is not a node name, a node or a function of the dataflow"):
        common.convert_output_values([object()], {"m"})


def test_the_config_file_switches_extension_autoloading_off_in_a_new_process(tmp_path):
    # 1.x's hamilton-disable-autoload-extensions writes ~/.hamilton.conf; plugin discovery reads it
    import os
    import subprocess
    import sys

    env = {**os.environ, "HOME": str(tmp_path)}
    env.pop(registry.HAMILTON_AUTOLOAD_ENV, None)
    subprocess.run(
        [sys.executable, "-c", "from hamilton import registry; registry.config_disable_autoload()"], env=env, check=True
    )
    check = "from hamilton.plugins import _manager; print(_manager._policy_block('some_extension'))"
    off = subprocess.run([sys.executable, "-c", check], env=env, check=True, capture_output=True, text=True)
    assert "automatic loading is disabled" in off.stdout
    builtin = "from hamilton.plugins import _manager; print(_manager._policy_block('core', builtin=True))"
    assert (
        subprocess.run([sys.executable, "-c", builtin], env=env, capture_output=True, text=True).stdout.strip()
        == "None"
    )
    subprocess.run(
        [sys.executable, "-c", "from hamilton import registry; registry.config_enable_autoload()"], env=env, check=True
    )
    on = subprocess.run([sys.executable, "-c", check], env=env, check=True, capture_output=True, text=True)
    assert on.stdout.strip() == "None"
