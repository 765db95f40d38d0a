"""The ready-made adapters of ``hamilton.lifecycle.default`` and the progress-bar plugins.

Expected texts and results were observed on Hamilton 1.x; where 2.0 deliberately differs, the
test says so.
"""

import io
import itertools
import logging
import pdb
import random
import subprocess
import sys
import time
import typing

import pytest

from hamilton import driver, lifecycle
from hamilton.function_modifiers import tag
from hamilton.lifecycle import default
from hamilton.lifecycle.default import (
    FunctionInputOutputTypeChecker,
    GracefulErrorAdapter,
    NoEdgeAndInputTypeChecking,
    PDBDebugger,
    PrintLn,
    SlowDownYouMoveTooFast,
    accept_error_sentinels,
    should_run_node,
)


def a(x: int) -> int:
    return x + 1


def b(a: int) -> int:
    return a * 2


@tag(kind="special")
def c(b: int, a: int) -> int:
    return b + a


def bad(a: int) -> int:
    raise ValueError("boom")


def run(*adapters, functions=(a, b, c, bad), outputs=("c",), **execute_kwargs):
    """Build a driver over ``functions`` with ``adapters`` and execute ``outputs``."""
    dr = driver.Builder().with_functions(*functions).with_adapters(*adapters).build()
    execute_kwargs.setdefault("inputs", {"x": 1})
    return dr.execute(list(outputs), **execute_kwargs)


@pytest.fixture
def clock(monkeypatch):
    """``time.perf_counter`` advancing 250ms per call, so durations print as ``250ms``."""
    ticks = itertools.count()
    monkeypatch.setattr(time, "perf_counter", lambda: next(ticks) * 0.25)


# --- exports ------------------------------------------------------------------------------------


def test_lifecycle_exports_the_1x_names():
    assert lifecycle.PrintLn is PrintLn
    assert lifecycle.PrintLnHook is PrintLn
    assert lifecycle.PDBDebugger is PDBDebugger
    assert lifecycle.FunctionInputOutputTypeChecker is FunctionInputOutputTypeChecker
    assert lifecycle.NoEdgeAndInputTypeChecking is NoEdgeAndInputTypeChecking
    assert lifecycle.GracefulErrorAdapter is GracefulErrorAdapter
    assert lifecycle.SlowDownYouMoveTooFast is SlowDownYouMoveTooFast
    assert lifecycle.accept_error_sentinels is accept_error_sentinels
    assert lifecycle.default is default
    assert {"PrintLn", "PrintLnHook", "PDBDebugger", "FunctionInputOutputTypeChecker"} <= set(lifecycle.__all__)
    namespace: dict = {}
    exec("from hamilton.lifecycle import *", namespace)
    assert namespace["NoEdgeAndInputTypeChecking"] is NoEdgeAndInputTypeChecking


def test_node_filter_type_is_the_1x_union():
    assert typing.get_args(default.NodeFilter) == (
        typing.get_args(default.NodeFilter)[0],
        list[str],
        str,
        type(None),
    )
    assert typing.get_origin(typing.get_args(default.NodeFilter)[0]) is typing.get_origin(typing.Callable)


def test_importing_the_driver_does_not_load_the_ready_made_adapters():
    probe = "import sys, hamilton.driver, hamilton.lifecycle; print('hamilton.lifecycle.default' in sys.modules)"
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "False"


# --- node filters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("node_filter", "expected"),
    [
        (None, True),
        ("a", True),
        ("b", False),
        (["b", "a"], True),
        (["b"], False),
        (lambda name, tags: tags.get("kind") == "special", True),
        (lambda name, tags: name == "z", False),
    ],
)
def test_should_run_node(node_filter, expected):
    assert should_run_node("a", {"kind": "special"}, node_filter) is expected


@pytest.mark.parametrize("node_filter", [3, 3.0, ("a",), {"a"}])
def test_invalid_node_filters_are_rejected(node_filter):
    with pytest.raises(ValueError, match=r"^Invalid node filter: ") as info:
        should_run_node("a", {}, node_filter)
    assert str(info.value).startswith(f"Invalid node filter: {node_filter}")
    # 2.0 rejects them when the adapter is created (1.x: when the first node runs)
    with pytest.raises(ValueError, match=r"^Invalid node filter: "):
        PrintLn(node_filter=node_filter)
    with pytest.raises(ValueError, match=r"^Invalid node filter: "):
        PDBDebugger(node_filter)


# --- PrintLn --------------------------------------------------------------------------------------


def test_println_prints_each_node_start_and_finish(clock):
    lines: list[str] = []
    assert run(PrintLn(print_fn=lines.append)) == {"c": 6}
    assert lines == [
        "Executing node: a.",
        "Finished debugging node: a in 250ms. Status: Success.",
        "Executing node: b.",
        "Finished debugging node: b in 250ms. Status: Success.",
        "Executing node: c.",
        "Finished debugging node: c in 250ms. Status: Success.",
    ]


def test_println_reports_failures(clock):
    lines: list[str] = []
    with pytest.raises(ValueError, match="boom"):
        run(PrintLn(print_fn=lines.append), outputs=["bad"])
    assert lines[-2:] == ["Executing node: bad.", "Finished debugging node: bad in 250ms. Status: Failure."]


def test_println_verbosity_2_adds_inputs_and_results(clock):
    lines: list[str] = []
    run(PrintLn(verbosity=2, print_fn=lines.append))
    assert lines == [
        "Executing node: a. Inputs: \n{'x': 1}",
        "Finished debugging node: a in 250ms. Status: Success. Result: \n2\n",
        "Executing node: b. Inputs: \n{'a': 2}",
        "Finished debugging node: b in 250ms. Status: Success. Result: \n4\n",
        "Executing node: c. Inputs: \n{'a': 2, 'b': 4}",
        "Finished debugging node: c in 250ms. Status: Success. Result: \n6\n",
    ]
    lines.clear()
    with pytest.raises(ValueError, match="boom"):
        run(PrintLn(verbosity=2, print_fn=lines.append), outputs=["bad"])
    assert lines[-1] == "Finished debugging node: bad in 250ms. Status: Failure. Error: \nValueError('boom')"


def test_println_verbosity_2_pretty_prints_large_values(clock):
    def big(x: int) -> dict:
        return {f"key_{i}": list(range(i)) for i in range(8)}

    lines: list[str] = []
    run(PrintLn(verbosity=2, print_fn=lines.append), functions=[big], outputs=["big"])
    assert lines[1] == (
        "Finished debugging node: big in 250ms. Status: Success. Result: \n"
        "{'key_0': [],\n 'key_1': [0],\n 'key_2': [0, 1],\n 'key_3': [0, 1, 2],\n 'key_4': [0, 1, 2, 3],\n"
        " 'key_5': [0, 1, 2, 3, 4],\n 'key_6': [0, 1, 2, 3, 4, 5],\n 'key_7': [0, 1, 2, 3, 4, 5, 6]}\n"
    )


def test_println_prints_with_print_by_default(capsys):
    run(PrintLn(), outputs=["a"])
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Executing node: a."
    assert out[1].startswith("Finished debugging node: a in ")
    assert out[1].endswith(". Status: Success.")


@pytest.mark.parametrize(
    ("node_filter", "shown"),
    [
        ("c", ["c"]),
        (["a", "c"], ["a", "c"]),
        (lambda name, tags: tags.get("kind") == "special", ["c"]),
        (None, ["a", "b", "c"]),
    ],
)
def test_println_node_filter(node_filter, shown):
    lines: list[str] = []
    run(PrintLn(print_fn=lines.append, node_filter=node_filter))
    assert [line for line in lines if line.startswith("Executing")] == [f"Executing node: {n}." for n in shown]


def test_println_rejects_other_verbosities():
    with pytest.raises(ValueError, match=r"^Verbosity must be one of \[1, 2\], got 3$"):
        PrintLn(verbosity=3)


def test_println_names_the_task_inside_tasks(clock):
    """Dynamic execution passes task ids; 1.x raised KeyError after the first node there."""
    lines: list[str] = []
    adapter = PrintLn(print_fn=lines.append)
    common = dict(node_tags={}, node_kwargs={}, node_return_type=int, run_id="r", node_input_types={})
    adapter.run_before_node_execution(node_name="items", task_id="expand-items", **common)
    adapter.run_before_node_execution(node_name="items", task_id="other", **common)
    after = dict(node_tags={}, node_kwargs={}, node_return_type=int, run_id="r", result=1, error=None, success=True)
    adapter.run_after_node_execution(node_name="items", task_id="expand-items", **after)
    adapter.run_after_node_execution(node_name="items", task_id="other", **after)
    assert lines == [
        "Executing node: expand-items:items.",
        "Executing node: other:items.",
        "Finished debugging node: expand-items:items in 500ms. Status: Success.",
        "Finished debugging node: other:items in 500ms. Status: Success.",
    ]


def test_println_without_a_start_time_omits_the_duration():
    lines: list[str] = []
    PrintLn(print_fn=lines.append).run_after_node_execution(
        node_name="n", node_tags={}, result=1, error=None, success=True, task_id=None, run_id="r"
    )
    assert lines == ["Finished debugging node: n. Status: Success."]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0μs"),
        (5e-7, "0.5μs"),
        (1.23456e-6, "1.23μs"),
        (0.000123456, "123μs"),
        (0.00099999, "1ms"),  # 1.x: "1e+03μs"
        (0.0123456, "12.3ms"),
        (0.5, "500ms"),
        (1.23456, "1.23s"),
        (61.5, "61.5s"),
        (3599, "3599s"),  # 1.x: "3.6e+03s"
    ],
)
def test_durations_are_shown_with_three_significant_digits(seconds, text):
    assert default._format_duration(seconds) == text


# --- PDBDebugger ------------------------------------------------------------------------------


def debugger_records(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "hamilton.lifecycle.default"]


@pytest.fixture
def debugger_calls(monkeypatch):
    """Replace ``pdb.set_trace``/``pdb.runcall``; record each call with a copy of CONTEXT."""
    calls: list = []

    def set_trace():
        calls.append(("set_trace", dict(PDBDebugger.CONTEXT), sys._getframe(1).f_locals.get("node_name")))

    def runcall(function, *args, **kwargs):
        calls.append(("runcall", function.__name__, kwargs))
        return function(*args, **kwargs)

    monkeypatch.setattr(pdb, "set_trace", set_trace)
    monkeypatch.setattr(pdb, "runcall", runcall)
    monkeypatch.setattr(PDBDebugger, "CONTEXT", {})
    return calls


def test_pdb_debugger_stops_before_during_and_after_the_selected_node(debugger_calls, caplog):
    caplog.set_level(logging.INFO, logger="hamilton.lifecycle.default")
    assert run(PDBDebugger("b", before=True, during=True, after=True)) == {"c": 6}
    before, during, after = debugger_calls
    # before/after stop in the hook, where the node's details are local variables
    assert before[0] == "set_trace"
    assert before[2] == "b"
    assert before[1] == {
        "node_name": "b",
        "node_tags": {"module": __name__},
        "node_kwargs": {"a": 2},
        "node_return_type": int,
        "task_id": None,
    }
    assert during == ("runcall", "b", {"a": 2})
    assert after[0] == "set_trace"
    assert after[1]["result"] == 4
    assert after[1]["success"] is True
    messages = [record.getMessage() for record in debugger_records(caplog)]
    assert messages[0] == (
        "Placing you in a PDB debugger prior to execution of node: b.\n"
        "You can access additional node information via the following variables:\n"
        " - node_name: b\n"
        f" - node_tags: {{'module': '{__name__}'}}\n"
        " - node_kwargs: a\n"
        " - node_return_type: <class 'int'>\n"
        " - task_id: None"
    )
    assert messages[1].startswith(
        "Placing you in a PDB debugger for node b.\n"
        "You can access additional node information via PDBDebugger.CONTEXT. Data is:\n"
        " - node_name: b\n"
    )
    assert messages[1].endswith(" - task_id: None\n - future_kwargs: {'is_expand': False, 'is_collect': False}")
    assert messages[2] == "Finished executing node b."
    assert messages[3].startswith("Placing you in a PDB debugger post execution of node: b.\n")
    assert " - result: 4\n - error: None\n - success: True\n - task_id: None" in messages[3]
    assert [record.levelname for record in debugger_records(caplog)] == ["WARNING", "WARNING", "INFO", "WARNING"]


def test_pdb_debugger_context_during_a_node(debugger_calls):
    seen = {}

    def watched(x: int) -> int:
        seen.update(PDBDebugger.CONTEXT)
        return x

    run(PDBDebugger("watched", during=True), functions=[watched], outputs=["watched"])
    assert seen["node_name"] == "watched"
    assert seen["node_kwargs"] == {"x": 1}
    assert seen["node_callable"] is watched
    assert seen["future_kwargs"] == {"is_expand": False, "is_collect": False}


def test_pdb_debugger_only_acts_on_selected_nodes_and_phases(debugger_calls):
    assert run(PDBDebugger(["a", "c"], after=True)) == {"c": 6}
    assert [(call[0], call[2]) for call in debugger_calls] == [("set_trace", "a"), ("set_trace", "c")]
    debugger_calls.clear()
    assert run(PDBDebugger(lambda name, tags: True)) == {"c": 6}  # no phase chosen: nothing happens
    assert debugger_calls == []


def test_pdb_debugger_after_a_failure(debugger_calls, caplog):
    caplog.set_level(logging.WARNING, logger="hamilton.lifecycle.default")
    with pytest.raises(ValueError, match="boom"):
        run(PDBDebugger("bad", during=True, after=True), outputs=["bad"])
    assert [call[0] for call in debugger_calls] == ["runcall", "set_trace"]
    assert debugger_calls[1][1]["success"] is False
    assert (
        " - result: None\n - error: ValueError('boom')\n - success: False" in debugger_records(caplog)[-1].getMessage()
    )


def test_pdb_debugger_cuts_long_values_in_its_banner(debugger_calls, caplog):
    def long(x: int) -> str:
        return "hi" * 100

    caplog.set_level(logging.WARNING, logger="hamilton.lifecycle.default")
    run(PDBDebugger("long", after=True), functions=[long], outputs=["long"])
    assert f" - result: {'hi' * 40}\n" in debugger_records(caplog)[-1].getMessage()
    assert debugger_calls[0][1]["result"] == "hi" * 100  # CONTEXT keeps the full value


def test_pdb_debugger_executes_nodes_so_it_excludes_other_execution_adapters():
    with pytest.raises(ValueError, match="Multiple adapters cannot"):
        driver.Builder().with_functions(a).with_adapters(PDBDebugger("a"), GracefulErrorAdapter(ValueError)).build()


# --- FunctionInputOutputTypeChecker ---------------------------------------------------------------


def bad_out(x: int) -> int:
    return "s"


def good(x: int) -> list[int]:
    return [1, 2]


def bad_list(x: int) -> list[int]:
    return [1, "2"]


def takes_int(bad_out: int) -> str:
    return "ok"


def maybe(x: int) -> int | None:
    return None


def bad_dict(x: int) -> dict[str, int]:
    return {"a": "b"}


def raises(x: int) -> int:
    raise RuntimeError("mine")


TYPED = (bad_out, good, bad_list, takes_int, maybe, bad_dict, raises)


@pytest.mark.parametrize(
    ("outputs", "inputs", "message"),
    [
        (["bad_out"], {"x": 1}, "Node bad_out returned a result of type <class 'str'>, expected <class 'int'>"),
        (["bad_list"], {"x": 1}, "Node bad_list returned a result of type <class 'list'>, expected list[int]"),
        (["bad_dict"], {"x": 1}, "Node bad_dict returned a result of type <class 'dict'>, expected dict[str, int]"),
        (["takes_int"], {"x": 1}, "Node bad_out returned a result of type <class 'str'>, expected <class 'int'>"),
        (["good"], {"x": None}, "Node good received an input of type <class 'NoneType'> for x, expected <class 'int'>"),
    ],
)
def test_type_checker_rejects_mismatches(outputs, inputs, message):
    with pytest.raises(TypeError) as info:
        run(FunctionInputOutputTypeChecker(), functions=TYPED, outputs=outputs, inputs=inputs)
    assert str(info.value) == message


def test_type_checker_accepts_matching_values():
    assert run(FunctionInputOutputTypeChecker(), functions=TYPED, outputs=["good", "maybe"]) == {
        "good": [1, 2],
        "maybe": None,
    }


def test_type_checker_checks_overridden_values_as_inputs():
    with pytest.raises(TypeError) as info:
        run(FunctionInputOutputTypeChecker(), functions=TYPED, outputs=["takes_int"], overrides={"bad_out": "zz"})
    assert (
        str(info.value) == "Node takes_int received an input of type <class 'str'> for bad_out, expected <class 'int'>"
    )


def test_type_checker_checks_can_be_turned_off():
    no_output = FunctionInputOutputTypeChecker(check_output=False)
    assert run(no_output, functions=TYPED, outputs=["bad_list"]) == {"bad_list": [1, "2"]}
    with pytest.raises(TypeError, match="received an input of type <class 'str'> for bad_out"):
        run(no_output, functions=TYPED, outputs=["takes_int"])
    no_input = FunctionInputOutputTypeChecker(check_input=False)
    assert run(no_input, functions=TYPED, outputs=["good"], inputs={"x": None}) == {"good": [1, 2]}
    both_off = FunctionInputOutputTypeChecker(check_input=False, check_output=False)
    assert run(both_off, functions=TYPED, outputs=["takes_int"]) == {"takes_int": "ok"}


def test_type_checker_keeps_a_failing_nodes_own_error():
    """1.x replaced it with "Node raises returned a result of type <class 'NoneType'>..."."""
    with pytest.raises(RuntimeError, match="mine"):
        run(FunctionInputOutputTypeChecker(), functions=TYPED, outputs=["raises"])


# --- NoEdgeAndInputTypeChecking -------------------------------------------------------------------


def text(x: str) -> str:
    return x


def number(text: int) -> int:
    return text


def test_no_edge_and_input_type_checking_accepts_everything():
    with pytest.raises(ValueError, match="is expecting text:<class 'int'>"):
        driver.Builder().with_functions(text, number).build()
    assert run(NoEdgeAndInputTypeChecking(), functions=[text, number], outputs=["number"], inputs={"x": 5}) == {
        "number": 5
    }
    with pytest.raises(ValueError, match="Type requirement mismatch"):
        run(functions=[a], outputs=["a"], inputs={"x": "not an int"})
    with pytest.raises(TypeError):  # the check is off: the node itself fails on "s" + 1
        run(NoEdgeAndInputTypeChecking(), functions=[a], outputs=["a"], inputs={"x": "s"})


# --- GracefulErrorAdapter -------------------------------------------------------------------------


def will(x: int) -> int:
    return 1


def fails(x: int) -> int:
    raise ValueError("nope")


def never(fails: int) -> int:
    return fails + 1


def also_never(never: int, will: int) -> int:
    return never + will


@accept_error_sentinels
def catcher(never: int, will: int) -> str:
    return f"got {never!r} {will!r}"


def key_err(x: int) -> int:
    raise KeyError("k")


def returns_none(x: int) -> int:
    return None


def after_none(returns_none: int) -> int:
    return 5


def optional_dep(x: int, fails: int = 3) -> int:
    return x


GRACEFUL = (will, fails, never, also_never, catcher, key_err, returns_none, after_none, optional_dep)


def graceful(outputs, inputs=None, **options):
    options.setdefault("error_to_catch", ValueError)
    return run(GracefulErrorAdapter(**options), functions=GRACEFUL, outputs=outputs, inputs=inputs or {"x": 1})


def test_graceful_error_adapter_doc_example():
    assert graceful(["will", "never"]) == {"will": 1, "never": None}


def test_the_sentinel_flows_downstream_and_other_errors_propagate():
    assert graceful(["will", "never", "also_never"]) == {"will": 1, "never": None, "also_never": None}
    assert graceful(["optional_dep"]) == {"optional_dep": None}
    with pytest.raises(KeyError):
        graceful(["key_err"])


def test_a_none_sentinel_also_skips_nodes_fed_a_legitimate_none():
    assert graceful(["after_none"]) == {"after_none": None}
    assert graceful(["will"], inputs={"x": None}) == {"will": None}
    assert graceful(["after_none"], sentinel_value="SENT") == {"after_none": 5}


def test_custom_sentinels_and_errors():
    options = dict(sentinel_value="SENT")
    assert graceful(["will", "never", "also_never"], **options) == {"will": 1, "never": "SENT", "also_never": "SENT"}
    assert graceful(["catcher"], **options) == {"catcher": "got 'SENT' 1"}
    assert graceful(["key_err", "never"], error_to_catch=Exception, sentinel_value=0) == {"key_err": 0, "never": 0}
    assert graceful(["key_err", "never"], error_to_catch=(KeyError, ValueError), sentinel_value=-1) == {
        "key_err": -1,
        "never": -1,
    }


@pytest.mark.parametrize(("x", "skipped"), [(0, True), (False, False), (0.0, False), (1, False)])
def test_sentinels_are_matched_by_exact_type_and_equality(x, skipped):
    def anything(x: object) -> str:
        return "ran"

    adapter = GracefulErrorAdapter(Exception, sentinel_value=0)
    assert run(adapter, functions=[anything], outputs=["anything"], inputs={"x": x}) == {
        "anything": 0 if skipped else "ran"
    }


def test_nodes_accepting_sentinels_receive_them():
    assert graceful(["catcher"]) == {"catcher": "got None 1"}
    assert graceful(["catcher"], allow_injection=False) == {"catcher": None}
    nodes = driver.Builder().with_functions(*GRACEFUL).build().list_available_variables()
    assert {n.name: n.tags.get("hamilton.error_sentinel") for n in nodes}["catcher"] == "injection is requested"


def test_only_the_injection_tag_value_lets_sentinels_in():
    @tag(bypass_reserved_namespaces_=True, **{"hamilton.error_sentinel": "other"})
    def tagged(fails: int) -> str:
        return f"ran with {fails}"

    assert run(GracefulErrorAdapter(ValueError), functions=[fails, tagged], outputs=["tagged"]) == {"tagged": None}


def test_hooks_see_the_sentinel_as_a_successful_result(clock):
    lines: list[str] = []
    printer = PrintLn(verbosity=2, print_fn=lines.append)
    run(GracefulErrorAdapter(ValueError, "S"), printer, functions=GRACEFUL, outputs=["never"])
    assert lines[1] == "Finished debugging node: fails in 250ms. Status: Success. Result: \n'S'\n"


def test_an_unusual_equality_never_counts_as_the_sentinel():
    class Weird:
        def __eq__(self, other):
            raise RuntimeError("no comparisons")

    adapter = GracefulErrorAdapter(ValueError, sentinel_value=Weird())
    assert adapter._is_sentinel(adapter.sentinel_value)
    assert not adapter._is_sentinel(Weird())


# Parallelizable nodes: exercised through the adapter directly until the dynamic executor exists.


def items(n: int):
    for i in range(n):
        if i == 2:
            raise ValueError("at 2")
        yield i


def expand(adapter, node_kwargs, node_callable=items, node_tags=None):
    return adapter.run_to_execute_node(
        node_name="items",
        node_tags=node_tags or {},
        node_callable=node_callable,
        node_kwargs=node_kwargs,
        task_id="expand-items",
        is_expand=True,
        is_collect=False,
    )


def test_parallelizable_nodes_keep_items_yielded_before_a_failure():
    assert expand(GracefulErrorAdapter(ValueError, "S"), {"n": 4}) == [0, 1, "S"]
    assert expand(GracefulErrorAdapter(ValueError, "S", try_all_parallel=False), {"n": 4}) == ["S"]
    assert expand(GracefulErrorAdapter(ValueError, "S"), {"n": 2}) == [0, 1]
    with pytest.raises(ValueError, match="at 2"):
        expand(GracefulErrorAdapter(KeyError, "S"), {"n": 4})


def test_parallelizable_nodes_fed_a_sentinel_yield_only_the_sentinel():
    assert expand(GracefulErrorAdapter(ValueError, "S"), {"n": "S"}) == ["S"]
    injected = {"hamilton.error_sentinel": "injection is requested"}
    assert expand(
        GracefulErrorAdapter(ValueError, "S"), {"n": "S"}, node_callable=lambda n: [n], node_tags=injected
    ) == ["S"]


# --- SlowDownYouMoveTooFast -------------------------------------------------------------------------


def test_slow_down_sleeps_a_random_non_negative_time_before_each_node(monkeypatch):
    draws = iter([0.5, -1.0, 0.25])
    gauss_calls, sleeps = [], []
    monkeypatch.setattr(random, "gauss", lambda mean, std: gauss_calls.append((mean, std)) or next(draws))
    monkeypatch.setattr(time, "sleep", sleeps.append)
    assert run(SlowDownYouMoveTooFast(0.1, 0.2)) == {"c": 6}
    assert gauss_calls == [(0.1, 0.2)] * 3
    assert sleeps == [0.5, 0.0, 0.25]


# --- progress bars ----------------------------------------------------------------------------------


def longer_name_here(a: int) -> int:
    return a


def after_long(longer_name_here: int) -> int:
    return longer_name_here


def test_tqdm_progress_bar_follows_the_nodes():
    pytest.importorskip("tqdm")
    from hamilton.plugins.h_tqdm import ProgressBar

    out = io.StringIO()
    bar = ProgressBar(file=out, ascii=True)
    assert run(bar) == {"c": 6}
    text = out.getvalue()
    for shown in ("Graph execution -> a:", "Graph execution -> b:", "Graph execution -> c:"):
        assert shown in text
    assert "Graph execution -> Execution Complete!: 100%" in text
    assert "3/3 [" in text
    assert "funcs/s" in text
    assert (bar.progress_bar.n, bar.progress_bar.total) == (3, 3)


def test_tqdm_progress_bar_counts_only_computed_nodes_and_reports_failures():
    pytest.importorskip("tqdm")
    from hamilton.plugins.h_tqdm import ProgressBar

    out = io.StringIO()
    bar = ProgressBar(desc="Run", file=out)
    run(bar, overrides={"b": 3})
    assert (bar.progress_bar.n, bar.progress_bar.total) == (2, 2)  # 1.x: 2 of 3
    out.truncate(0)
    with pytest.raises(ValueError, match="boom"):
        run(bar, outputs=["bad"])
    assert "Run -> Execution Failed!" in out.getvalue()  # 1.x: "Execution Complete!"
    assert (bar.progress_bar.n, bar.progress_bar.total) == (2, 2)  # a, and bad (which failed)


def test_tqdm_progress_bar_fits_node_names_to_a_width():
    pytest.importorskip("tqdm")
    from hamilton.plugins.h_tqdm import ProgressBar

    out = io.StringIO()
    run(
        ProgressBar(file=out, max_node_name_width=10),
        functions=[a, longer_name_here, after_long],
        outputs=["after_long"],
    )
    text = out.getvalue()
    assert "Graph execution -> a         :" in text
    assert "Graph execution -> longer_...:" in text
    assert "Graph execution -> after_long:" in text


def test_rich_progress_bar_follows_the_nodes():
    pytest.importorskip("rich")
    from rich.console import Console

    from hamilton.plugins.h_rich import RichProgressBar

    out = io.StringIO()
    bar = RichProgressBar(console=Console(file=out, force_terminal=False, width=100))
    assert run(bar) == {"c": 6}
    (task,) = bar.progress.tasks
    assert (task.description, task.completed, task.total, task.finished) == ("Running:", 3, 3, True)
    assert "Running:" in out.getvalue()
    assert "100%" in out.getvalue()
    run(bar)  # a second run gets a fresh bar
    assert len(bar.progress.tasks) == 1


def test_rich_progress_bar_options_overrides_and_failures():
    pytest.importorskip("rich")
    from rich.console import Console

    from hamilton.plugins.h_rich import RichProgressBar

    out = io.StringIO()
    columns = ["{task.description}", "{task.completed}/{task.total}"]
    bar = RichProgressBar(run_desc="Working", columns=columns, console=Console(file=out, force_terminal=False))
    assert bar.collect_desc == "Collecting:"
    run(bar, overrides={"b": 3})
    assert out.getvalue() == "Working 2/2\n"  # 1.x: "Working 2/3"
    with pytest.raises(ValueError, match="boom"):
        run(bar, outputs=["bad"])
    (task,) = bar.progress.tasks
    assert (task.description, task.completed, task.total) == ("Working (failed)", 2, 2)


@pytest.mark.parametrize(
    ("module", "cls", "package"),
    [("hamilton.plugins.h_tqdm", "ProgressBar", "tqdm"), ("hamilton.plugins.h_rich", "RichProgressBar", "rich")],
)
def test_progress_bars_say_which_package_to_install(module, cls, package):
    probe = (
        f"import sys; sys.modules[{package!r}] = None\n"
        f"import {module} as m\n"  # the module imports without the package
        "try:\n"
        f"    m.{cls}()\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert f"pip install {package}" in completed.stdout
