"""Code the measured subprocesses share, as source text (it runs in the venvs under test).

Each benchmark's snippet is built from these pieces plus its own lines; they expect ``n`` (the
chain's length) to be defined before them.
"""

CHAIN_SOURCE = """
source = "def n0(x: int) -> int:\\n    return x\\n" + "".join(
    f"def n{i}(n{i - 1}: int) -> int:\\n    return n{i - 1} + 1\\n" for i in range(1, n)
)
"""

# ``module``: the chain as an in-memory module registered as ``sys.modules[MODULE_NAME]``.
CHAIN_MODULE = (
    CHAIN_SOURCE
    + """
module = types.ModuleType(MODULE_NAME)
exec(source, module.__dict__)
sys.modules[MODULE_NAME] = module
functions = [getattr(module, f"n{i}") for i in range(n)]

def plain():
    value = 1
    for function in functions:
        value = function(value)
"""
)

NOOP_HOOK = """
class Noop(lifecycle.NodeExecutionHook):
    def run_before_node_execution(self, **kwargs):
        pass

    def run_after_node_execution(self, **kwargs):
        pass
"""

# ``best(function)``: seconds of the fastest of ``repeats`` calls (after one unmeasured call
# with ``warm_up``). Expects ``repeats`` and ``time`` defined before it.
BEST = """
def best(function, repeats=repeats, warm_up=False):
    if warm_up:
        function()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return min(samples)
"""

# ``best(function)``: the same, per node of the chain (expects ``n``).
BEST_PER_NODE = (
    BEST.replace("def best(", "def best_total(")
    + """
def best(function, repeats=repeats, warm_up=False):
    return best_total(function, repeats, warm_up) / n
"""
)

# ``rounds(variants, expected, repeats)``: interleaved samples of several ways of doing one thing.
# A variant is a callable returning ``(seconds, value)``. Each is called once to warm up, and its
# value must equal ``expected``; then ``repeats`` rounds call every variant once each (a
# ``gc.collect()`` before every sample), stopping early after 3 rounds once ``budget`` seconds
# have passed. Returns ``{name: [seconds, ...]}``, or ``{name: "ErrorType: message"}`` for a
# variant that raised or returned something else. Expects ``time`` imported before it. Also
# ``timed_sync(call)`` -> ``(seconds, value)`` and ``failing(message)``, a variant that raises.
ROUNDS = """
import gc


class Failed(Exception):
    \"\"\"Raised by a variant that could not be set up; its message is the setup's error.\"\"\"


def describe(error):
    if isinstance(error, Failed):
        return str(error)
    return (f"{type(error).__name__}: {error}".splitlines() or [""])[0][:300]


def rounds(variants, expected, repeats, budget=10.0):
    out, live = {}, {}
    for name, variant in variants.items():
        try:
            _, value = variant()
        except Exception as error:
            out[name] = describe(error)
            continue
        if value != expected:
            out[name] = f"WrongResult: {value!r} instead of {expected!r}"[:300]
            continue
        live[name], out[name] = variant, []
    started = time.perf_counter()
    for index in range(repeats):
        if index >= 3 and time.perf_counter() - started > budget:
            break
        for name, variant in list(live.items()):
            gc.collect()
            try:
                seconds, _ = variant()
            except Exception as error:
                out[name] = describe(error)
                del live[name]
                continue
            out[name].append(seconds)
    return out


def failing(message):
    \"\"\"A variant that raises ``message`` (for a driver that could not be built).\"\"\"

    def variant():
        raise Failed(message)

    return variant


def timed_sync(call):
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value
"""

# ``flight``: a counter of nodes in flight and its peak, for node bodies running on any thread.
# Module source (prefix of a generated module): ``_enter()`` / ``_leave()`` around the body.
FLIGHT = """
import threading
_lock = threading.Lock()
_flight = [0, 0]  # in flight now, peak since the last reset


def _enter():
    with _lock:
        _flight[0] += 1
        if _flight[0] > _flight[1]:
            _flight[1] = _flight[0]


def _leave():
    with _lock:
        _flight[0] -= 1
"""
