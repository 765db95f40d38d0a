"""A result builder that returns a frame of the caller's own library (pandas, polars, pyarrow...).

:class:`NativeDataFrameResult` follows 1.x's rules for combining outputs, for any library
narwhals supports: a single frame is returned as it is; scalars only make a one-row frame;
frames among several outputs contribute their columns as ``<output>.<column>``; series become
columns named after their output, and scalars are repeated on every row. The library is the one
of the first frame or series among the outputs (narwhals outputs count too).
"""

from __future__ import annotations

from typing import Any

import narwhals.stable.v1 as nw

from hamilton.lifecycle import api


def _wrap(value: Any) -> Any:
    """A narwhals frame or series for a native (or narwhals) one; anything else unchanged."""
    return nw.from_native(value, allow_series=True, pass_through=True)


def _is_frame(value: Any) -> bool:
    return isinstance(value, (nw.DataFrame, nw.LazyFrame))


class NativeDataFrameResult(api.ResultBuilder):
    """One frame, of the outputs' library (see the module docstring).

    :param backend: the library for outputs that are all scalars (``"pandas"``, ``"polars"``,
        ``"pyarrow"``, or the module); without it such outputs raise ``ValueError``.
    """

    def __init__(self, backend: Any = None):
        self.backend = backend

    def build_result(self, **outputs: Any) -> Any:
        wrapped = {name: _wrap(value) for name, value in outputs.items()}
        if len(wrapped) == 1:
            (only,) = wrapped.values()
            if _is_frame(only):
                return only.to_native()
        columnar = [value for value in wrapped.values() if _is_frame(value) or isinstance(value, nw.Series)]
        if not columnar:
            return self._one_row(outputs)
        backend = nw.get_native_namespace(columnar[0])
        columns: dict[str, Any] = {}
        scalars: dict[str, Any] = {}
        for name, value in wrapped.items():
            if _is_frame(value):
                frame = value.collect() if isinstance(value, nw.LazyFrame) else value
                for column in frame.columns:
                    columns[f"{name}.{column}"] = frame.get_column(column)
            elif isinstance(value, nw.Series):
                columns[name] = value
            else:
                scalars[name] = value
        self._check_lengths(columns)
        frame = nw.from_dict({name: series.to_native() for name, series in columns.items()}, native_namespace=backend)
        if scalars:
            frame = frame.with_columns(*(nw.lit(value).alias(name) for name, value in scalars.items()))
        return frame.select(_column_order(wrapped)).to_native()

    def _one_row(self, outputs: dict[str, Any]) -> Any:
        if self.backend is None:
            raise ValueError(
                f"NativeDataFrameResult cannot tell which library to build a frame with: every requested output "
                f"({sorted(outputs)}) is a scalar. Request a frame or series too, or pass "
                "NativeDataFrameResult(backend='pandas' | 'polars' | 'pyarrow')."
            )
        import importlib

        namespace = importlib.import_module(self.backend) if isinstance(self.backend, str) else self.backend
        return nw.from_dict({name: [value] for name, value in outputs.items()}, native_namespace=namespace).to_native()

    @staticmethod
    def _check_lengths(columns: dict[str, Any]) -> None:
        lengths = {name: len(series) for name, series in columns.items()}
        if len(set(lengths.values())) > 1:
            raise ValueError(
                f"Cannot build one frame from columns of different lengths: {lengths}. Request outputs of one length "
                "(or use the library's own result builder, e.g. PandasDataFrameResult, which aligns on the index)."
            )

    def output_type(self) -> type:
        return Any


def _column_order(wrapped: dict[str, Any]) -> list[str]:
    """The result's columns in output order (a frame's columns in place of the frame)."""
    order = []
    for name, value in wrapped.items():
        if _is_frame(value):
            order += [f"{name}.{column}" for column in value.columns]
        else:
            order.append(name)
    return order
