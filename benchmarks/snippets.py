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
