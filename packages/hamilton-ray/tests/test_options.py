"""ray_remote.* tags and the plugin's registration."""

import ray_nodes_adapter

from hamilton import driver, plugins
from hamilton.function_modifiers.metadata import RAY_REMOTE_TAG_NAMESPACE
from hamilton.plugins import h_ray


def test_parse_decodes_the_ray_remote_tags_only():
    tags = {f"{RAY_REMOTE_TAG_NAMESPACE}.resources": '{"GPU": 1}', "ray_remote.num_cpus": "2", "other": "x"}
    assert h_ray.parse_ray_remote_options_from_tags(tags) == {"resources": {"GPU": 1}, "num_cpus": 2}
    assert h_ray.RAY_REMOTE_TAG_NAMESPACE == "ray_remote"


def test_parse_reads_what_the_decorator_writes():
    dr = driver.Builder().with_modules(ray_nodes_adapter).build()
    (placed,) = [v for v in dr.list_available_variables() if v.name == "placed"]
    assert h_ray.parse_ray_remote_options_from_tags(placed.tags) == {
        "num_cpus": 1,
        "resources": {"hamilton_test_slot": 1},
    }


def test_the_plugin_registers_the_executor_class():
    assert plugins.executor_factory("ray") is h_ray.RayTaskExecutor


def test_raify_makes_partials_acceptable_to_ray_remote(ray_cluster):
    import functools

    assert h_ray.raify(ray_nodes_adapter.payload) is ray_nodes_adapter.payload
    partial = functools.partial(ray_nodes_adapter.payload, 3)
    assert ray_cluster.get(ray_cluster.remote(h_ray.raify(partial)).remote()) == b"xxx"
