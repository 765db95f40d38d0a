"""Vaex DataFrames out of a run: 1.x's ``VaexDataFrameResult``.

``VaexDataFrameResult`` turns the requested outputs into one ``vaex.dataframe.DataFrame`` with
1.x's rules:

* a vaex ``Expression`` is evaluated (``to_numpy()``); it, and a numpy array, is a column named
  after its output — unless it holds a single value (0-d, or shape ``(1,)``), which makes it a
  scalar;
* anything pandas calls a scalar (numbers, strings, bytes, ``None``, timestamps, numpy
  scalars...) is a scalar;
* the columns must all be one-dimensional and of one length; scalars are repeated along them.
  With no columns at all, the scalars make a frame of one row;
* a vaex ``DataFrame`` output is taken as it is, and the frames are stacked row-wise
  (``vaex.concat``): first the DataFrame outputs, in the order requested, then the frame of
  columns and scalars. Columns a frame lacks are missing in its rows — a DataFrame among
  columns does **not** add its columns side by side (as 1.x: ask for the frame's own columns,
  e.g. through ``extract_columns``, to get them beside the others);
* any other kind of output (a list, a dict, a pandas Series...) is refused with
  ``NotImplementedError`` naming the output, as in 1.x.

Use it as ``driver.Builder().with_modules(funcs).with_adapters(VaexDataFrameResult()).build()``,
1.x's ``base.SimplePythonGraphAdapter(VaexDataFrameResult())``, or by name:
``hamilton.plugins.result_builder("vaex")``.
"""

from hamilton.plugins import library_required

with library_required("vaex", needed_by=__name__, extra="vaex", distribution="vaex-core"):
    import vaex

from typing import Any

import numpy as np
from pandas.api.types import is_scalar

from hamilton import base

_BUILDER = "VaexDataFrameResult"


def _single_value(array: np.ndarray) -> tuple[bool, Any]:
    """``(True, value)`` when ``array`` holds one value that 1.x treated as a scalar."""
    if array.ndim == 0:
        return True, array.item()
    if array.shape == (1,):
        return True, array[0]
    return False, None


def _describe(name: str, value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"{name!r} (shape {value.shape})"
    return f"{name!r} ({type(value).__module__}.{type(value).__qualname__})"


class VaexDataFrameResult(base.ResultMixin):
    """Builds a ``vaex.dataframe.DataFrame`` from a run's outputs (rules: see the module docstring).

    .. code-block:: python

        from hamilton import driver
        from hamilton.plugins import h_vaex

        dr = driver.Builder().with_modules(my_funcs).with_adapters(h_vaex.VaexDataFrameResult()).build()
        df = dr.execute(["a", "b", "a_plus_b"])  # a vaex DataFrame
    """

    @staticmethod
    def build_result(**outputs: Any) -> Any:
        if not outputs:
            raise ValueError(f"{_BUILDER} got no outputs to build a vaex DataFrame from: request at least one.")
        frames: list[Any] = []
        columns: dict[str, np.ndarray] = {}
        scalars: dict[str, Any] = {}
        for name, value in outputs.items():
            if isinstance(value, vaex.dataframe.DataFrame):
                frames.append(value)
                continue
            if isinstance(value, vaex.expression.Expression):
                value = value.to_numpy()
            if isinstance(value, np.ndarray):
                single, item = _single_value(value)
                if single:
                    scalars[name] = item
                else:
                    columns[name] = value
            elif is_scalar(value):
                scalars[name] = value
            else:
                raise NotImplementedError(
                    f"{_BUILDER} cannot put output {_describe(name, value)} into a vaex DataFrame: it takes vaex "
                    "DataFrames and Expressions, numpy arrays and scalars. Return one of those from the function "
                    f"that computes {name!r}, or build the result as a dict (base.DictResult)."
                )
        combined = None
        if columns:
            combined = vaex.from_arrays(**_broadcast(columns, scalars))
        elif scalars:
            combined = vaex.from_arrays(**{name: np.array([value]) for name, value in scalars.items()})
        if combined is not None:
            frames.append(combined)
        return vaex.concat(frames)

    def output_type(self) -> type:
        return vaex.dataframe.DataFrame


def _broadcast(columns: dict[str, np.ndarray], scalars: dict[str, Any]) -> dict[str, np.ndarray]:
    """The columns, checked to be 1-d and of one length, followed by the scalars repeated along them."""
    not_flat = [name for name, array in columns.items() if array.ndim != 1]
    if not_flat:
        described = ", ".join(_describe(name, columns[name]) for name in not_flat)
        raise NotImplementedError(
            f"{_BUILDER} takes one-dimensional columns only; output(s) {described} have more dimensions. "
            "Return a 1-d array (or a vaex Expression) per column, or build the result as a dict (base.DictResult)."
        )
    shape = next(iter(columns.values())).shape
    if any(array.shape != shape for array in columns.values()):
        described = ", ".join(f"{name!r} ({len(array)} rows)" for name, array in columns.items())
        raise NotImplementedError(
            f"{_BUILDER} cannot combine outputs of different lengths into one vaex DataFrame: {described}. "
            "Request outputs of one length (scalars are repeated), or build the result as a dict (base.DictResult)."
        )
    broadcast = dict(columns)
    for name, value in scalars.items():
        broadcast[name] = np.full(shape, value)
    return broadcast
