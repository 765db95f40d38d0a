"""Fingerprints (:func:`hamilton.fingerprinting.hash_value`) and the promise the result cache
rests on: two values with the same fingerprint are interchangeable for any code that receives
them. Equal values may still get different fingerprints (that only costs a recomputation).

* a hypothesis property over a rich strategy of values and their near neighbours: same
  fingerprint implies :func:`interchangeable`, deep copies of values keep their fingerprint,
  under both hash backends (XXH3-128 and BLAKE2b-128);
* targeted regressions (collisions, crashes and recursion errors of earlier implementations);
* fingerprints are the same in every process (``PYTHONHASHSEED``, user classes from a file,
  the BLAKE2b fallback when ``xxhash`` cannot be imported).

Core alone: nothing here needs numpy or pandas; ``xxhash`` is optional.
"""

from __future__ import annotations

import array
import collections
import contextlib
import copy
import dataclasses
import datetime
import decimal
import enum
import fractions
import functools
import hashlib
import importlib
import io
import json
import math
import operator
import os
import pathlib
import re
import struct
import subprocess
import sys
import textwrap
import threading
import types
import uuid
import zoneinfo
from collections.abc import Mapping
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamilton import fingerprinting
from hamilton.fingerprinting import UNHASHABLE, hash_value

try:
    import xxhash  # noqa: F401
except ImportError:
    HAVE_XXHASH = False
else:
    HAVE_XXHASH = True
_CHILD_ENV = "HAMILTON_FINGERPRINT_TEST_CHILD"  # set in the subprocess that reruns this file
IN_CHILD = bool(os.environ.get(_CHILD_ENV))
spawns_processes = pytest.mark.skipif(IN_CHILD, reason="run by the parent process")


def fp(value: Any) -> str:
    return hash_value(value)


def unhashable(fingerprint: str) -> bool:
    return fingerprint.startswith(UNHASHABLE)


def assert_hashable(*values: Any) -> list[str]:
    fingerprints = [fp(value) for value in values]
    for value, fingerprint in zip(values, fingerprints):
        assert not unhashable(fingerprint), value
        assert re.fullmatch(r"[0-9a-f]{32}", fingerprint) or fingerprint == fingerprinting.NONE_HASH, fingerprint
    return fingerprints


def assert_all_differ(*values: Any) -> None:
    fingerprints = assert_hashable(*values)
    assert len(set(fingerprints)) == len(values), [
        (a, b)
        for i, a in enumerate(values)
        for j, b in enumerate(values)
        if i < j and fingerprints[i] == fingerprints[j]
    ]


# -- the hash backends ---------------------------------------------------------------------------
def _backend_factory(name: str) -> Any:
    if name == "xxh3_128":
        import xxhash

        return xxhash.xxh3_128
    return functools.partial(hashlib.blake2b, digest_size=16)


@contextlib.contextmanager
def hash_backend(name: str):
    """Fingerprints made with ``name`` in this process (and the per-code/per-class caches, which
    hold digests of the other backend, emptied before and after)."""
    from hamilton import _digest, _fingerprint_objects

    def clear() -> None:
        _fingerprint_objects._code_digests.clear()
        _fingerprint_objects._class_digests.clear()

    saved = _digest._factory
    _digest._factory = _backend_factory(name)
    clear()
    try:
        yield
    finally:
        _digest._factory = saved
        clear()


BACKENDS = [
    pytest.param("xxh3_128", marks=pytest.mark.skipif(not HAVE_XXHASH, reason="xxhash is not installed")),
    "blake2b-128",
]


def run_python(code: str, *, hashseed: str = "0", block_xxhash: bool = False, path: Any = None) -> str:
    """Runs ``code`` in a fresh interpreter; returns its stdout."""
    prelude = "import sys\n"
    if block_xxhash:
        prelude += "sys.modules['xxhash'] = None\n"
    if path is not None:
        prelude += f"sys.path.insert(0, {str(path)!r})\n"
    env = dict(os.environ, PYTHONHASHSEED=hashseed)
    result = subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


# -- values the strategy draws from --------------------------------------------------------------
class Plain:
    def __init__(self, **attributes: Any) -> None:
        self.__dict__.update(attributes)

    def method(self) -> list:
        return sorted(self.__dict__)


class Plain2:  # the same shape as Plain: only the class tells them apart
    def __init__(self, **attributes: Any) -> None:
        self.__dict__.update(attributes)

    def method(self) -> list:
        return sorted(self.__dict__, reverse=True)


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self, a: Any, b: Any = None) -> None:
        self.a = a
        self.b = b

    def method(self) -> Any:
        return self.a


@dataclasses.dataclass
class DC:
    a: Any
    b: Any = None


@dataclasses.dataclass(frozen=True)
class FrozenDC:
    a: Any
    b: Any = None


@dataclasses.dataclass(frozen=True, slots=True)
class SlotsDC:
    a: Any
    b: Any = None


def _exec_class(source: str, name: str) -> Any:
    namespace: dict[str, Any] = {"__name__": __name__}
    exec(textwrap.dedent(source), namespace)
    return namespace[name]


# Two classes with the same module and name whose methods differ (a class edited between runs).
_TWIN = """
class Twin:
    def __init__(self, value):
        self.value = value

    def describe(self):
        return {body}
"""
TwinA = _exec_class(_TWIN.format(body="self.value"), "Twin")
TwinB = _exec_class(_TWIN.format(body="repr(self.value)"), "Twin")

_NAME = """
class Name(str):
    def shout(self):
        return self.{method}()
"""
NameUpper = _exec_class(_NAME.format(method="upper"), "Name")
NameLower = _exec_class(_NAME.format(method="lower"), "Name")

Point = collections.namedtuple("Point", "x y")
PointAB = collections.namedtuple("Point", "a b")  # same name, other fields


class Pair(NamedTuple):
    first: Any
    second: Any


class MyStr(str):
    pass


class MyInt(int):
    pass


class MyFloat(float):
    pass


class MyBytes(bytes):
    pass


class MyList(list):
    pass


class MyTuple(tuple):
    __slots__ = ()


class MyDict(dict):
    pass


class MySet(frozenset):
    pass


class Color(enum.Enum):
    RED = 1
    GREEN = 2


class Level(enum.IntEnum):
    LOW = 0
    HIGH = 1


class Mode(str, enum.Enum):
    READ = "r"
    WRITE = "w"


class Perm(enum.Flag):
    R = 1
    W = 2


class IntPerm(enum.IntFlag):
    X = 1
    Y = 2


_COLOR = """
class Color(enum.Enum):
    RED = 1
    GREEN = 2

    def label(self):
        return {body}
"""
ColorA = _exec_class("import enum\n" + _COLOR.format(body="self.name"), "Color")
ColorB = _exec_class("import enum\n" + _COLOR.format(body="self.name.lower()"), "Color")

_ZONE_KEYS = ("UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata")
ZONES = []
for _key in _ZONE_KEYS:
    with contextlib.suppress(Exception):
        ZONES.append(zoneinfo.ZoneInfo(_key))


class FixedTZ(datetime.tzinfo):
    """A time zone written in Python, with the default ``repr`` (a memory address)."""

    def __init__(self, hours: int) -> None:
        self.hours = hours

    def utcoffset(self, dt: Any) -> datetime.timedelta:
        return datetime.timedelta(hours=self.hours)

    def dst(self, dt: Any) -> datetime.timedelta:
        return datetime.timedelta(0)

    def tzname(self, dt: Any) -> str:
        return "FIXED"


def make_multiplier(k: Any) -> Any:
    return lambda x: x * k


def make_adder(k: Any) -> Any:
    def add(x: Any) -> Any:
        return x + k

    return add


def _function_with_defaults(function: types.FunctionType, defaults: tuple) -> types.FunctionType:
    clone = types.FunctionType(
        function.__code__, function.__globals__, function.__name__, defaults, function.__closure__
    )
    clone.__qualname__ = function.__qualname__
    return clone


def scale(x: Any, factor: Any = 2) -> Any:
    return x * factor


def _wrap(function: Any) -> Any:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    return wrapper


LAMBDAS = [
    eval("lambda x: x + 1"),
    eval("lambda x: x + 2"),
    eval("lambda x: x - 1"),
    eval("lambda x: 1 + x"),
    eval("lambda x, y=1: x + y"),
    eval("lambda x, y=1.0: x + y"),
]
FUNCTIONS = [
    *LAMBDAS,
    scale,
    _function_with_defaults(scale, (3,)),
    _function_with_defaults(scale, (2.0,)),
    make_multiplier,
    make_adder,
    _wrap(scale),
    _wrap(make_adder),
    len,
    abs,
    max,
    operator.add,
    operator.mul,
    math.sqrt,
    str.upper,
    str.lower,
    "ab".upper,
    "ba".upper,
    operator.itemgetter(0),
    operator.itemgetter(1),
    operator.attrgetter("a"),
]
CLASSES = [int, float, str, bool, list, tuple, dict, Plain, Plain2, Slotted, DC, FrozenDC, SlotsDC, TwinA, TwinB]
CLASSES += [NameUpper, NameLower, Point, PointAB, Pair, MyStr, MyInt, MyList, Color, ColorA, ColorB, Level, Mode]


# -- the strategy --------------------------------------------------------------------------------
def _float_from_bits(bits: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


SPECIAL_FLOATS = [0.0, -0.0, math.inf, -math.inf, math.nan, -math.nan, _float_from_bits(0x7FF8000000000001), 1.0, -1.0]
texts = st.text(st.characters(blacklist_categories=()), max_size=4) | st.sampled_from(["", "a", "0", "1", "\ud800"])
small_ints = st.integers(-2, 3)
ints = small_ints | st.integers() | st.sampled_from([2**63, 2**64 - 1, -(2**63), 10**40, -(10**40)])
floats = st.sampled_from(SPECIAL_FLOATS) | st.floats(allow_nan=True, allow_infinity=True)
tz_offsets = st.builds(
    datetime.timezone,
    st.timedeltas(min_value=datetime.timedelta(hours=-23), max_value=datetime.timedelta(hours=23)),
) | st.builds(
    datetime.timezone,
    st.sampled_from([datetime.timedelta(0), datetime.timedelta(hours=1)]),
    st.sampled_from(["A", "UTC"]),
)
timezones = st.none() | tz_offsets | st.builds(FixedTZ, st.integers(-2, 2))
if ZONES:
    timezones = timezones | st.sampled_from(ZONES)
naive_datetimes = st.sampled_from(
    [datetime.datetime(2020, 10, 25, 2, 30), datetime.datetime(2020, 1, 1)]
) | st.datetimes(min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(2100, 1, 1))
datetimes = st.builds(
    lambda naive, tz, fold: naive.replace(tzinfo=tz, fold=fold), naive_datetimes, timezones, st.integers(0, 1)
)
times = st.builds(
    lambda t, tz, fold: t.replace(tzinfo=tz, fold=fold), st.times(), tz_offsets | st.none(), st.integers(0, 1)
)
paths = st.builds(
    lambda cls, text: cls(text),
    st.sampled_from([pathlib.PurePosixPath, pathlib.PosixPath, pathlib.PureWindowsPath]),
    st.sampled_from(["a/b", "a", "/", "A/B", "a\\b", ""]),
)
patterns = st.builds(re.compile, st.sampled_from(["a", "a+", "[ab]", b"a"]), st.sampled_from([0, re.IGNORECASE]))
decimals = st.decimals(allow_nan=True, allow_infinity=True, places=None) | st.sampled_from(
    [decimal.Decimal(text) for text in ("0", "-0", "1", "1.0", "1.00", "NaN", "-NaN", "NaN1")]
)
decimals = decimals.filter(lambda number: not number.is_snan())  # a signaling NaN has no hash()

hashable_leaves = st.one_of(
    st.none(),
    st.booleans(),
    ints,
    floats,
    st.complex_numbers(allow_nan=True) | st.sampled_from([complex(0.0, -0.0), complex(-0.0, 0.0), 0j]),
    texts,
    st.binary(max_size=4),
    decimals,
    st.fractions(max_denominator=5),
    st.uuids() | st.builds(uuid.UUID, int=st.integers(0, 3)),
    datetimes,
    st.dates(),
    times,
    st.timedeltas(),
    tz_offsets,
    paths,
    st.builds(range, small_ints, small_ints, st.sampled_from([1, 2, -1])),
    st.sampled_from([*Color, *Level, *Mode, *ColorA, *ColorB, Perm.R, Perm.R | Perm.W, Perm(0), IntPerm.X, IntPerm(3)]),
    st.builds(MyStr, texts) | st.builds(NameUpper, texts) | st.builds(NameLower, texts),
    st.builds(MyInt, small_ints) | st.builds(MyFloat, floats) | st.builds(MyBytes, st.binary(max_size=2)),
    patterns,
    st.sampled_from(FUNCTIONS),
    st.sampled_from(CLASSES),
    st.sampled_from([Ellipsis, NotImplemented, math]),
)
leaves = hashable_leaves | st.one_of(
    st.builds(bytearray, st.binary(max_size=3)),
    st.builds(array.array, st.sampled_from("bBiqd")),
    st.sampled_from([slice(1, 2), slice(1, 2, None), slice(1, 2, 1), slice(1.0, 2)]),  # unhashable before 3.12
    st.sampled_from([decimal.Decimal("sNaN"), decimal.Decimal("-sNaN1")]),
)


def _containers(children: Any) -> Any:
    strategy = _container_strategy(children)

    # a strategy whose repr is short: each level of nesting would otherwise repeat the repr of
    # the whole strategy several times (hundreds of MB when hypothesis reports a failure)
    @st.composite
    def containers(draw: Any) -> Any:
        return draw(strategy)

    return containers()


def _container_strategy(children: Any) -> Any:
    keys = hashable_leaves | st.tuples(hashable_leaves, hashable_leaves) | st.frozensets(hashable_leaves, max_size=2)
    items = st.lists(st.tuples(keys, children), max_size=3)
    return st.one_of(
        st.lists(children, max_size=3),
        st.lists(children, max_size=3).map(tuple),
        st.lists(children, max_size=3).map(MyList),
        st.lists(children, max_size=3).map(MyTuple),
        st.builds(Point, children, children)
        | st.builds(PointAB, children, children)
        | st.builds(Pair, children, children),
        st.builds(collections.deque, st.lists(children, max_size=3), st.sampled_from([None, 1, 2, 3])),
        items.map(dict),
        items.map(collections.OrderedDict),
        items.map(MyDict),
        st.builds(collections.defaultdict, st.sampled_from([None, int, list]), items.map(dict)),
        st.sets(keys, max_size=3),
        st.frozensets(keys, max_size=3),
        st.builds(Plain, a=children) | st.builds(Plain2, a=children) | st.builds(Plain, a=children, b=children),
        st.builds(Slotted, children, children) | st.builds(DC, children, children),
        st.builds(FrozenDC, children) | st.builds(SlotsDC, children, children),
        st.builds(TwinA, children) | st.builds(TwinB, children),
        st.builds(make_multiplier, children) | st.builds(make_adder, children),
        st.builds(functools.partial, st.sampled_from([operator.add, operator.mul, scale]), children),
        st.builds(lambda obj: obj.method, st.builds(Plain, a=children) | st.builds(Slotted, children)),
        st.builds(lambda d: _function_with_defaults(scale, (d,)), children),
    )


values = st.recursive(leaves, _containers, max_leaves=8)


# -- neighbours: values close to a given one (equal, or nearly) ------------------------------------
def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _neighbors(x: Any) -> list:
    """Values that are equal to ``x`` or nearly so, of the same or a related type."""
    out: list = []
    kind = type(x)
    if kind is bool:
        out += [int(x), float(x), not x, Level(int(x)), MyInt(x)]
    elif kind is int:
        out += [x + 1, -x, MyInt(x), complex(x), decimal.Decimal(x), fractions.Fraction(x), str(x)]
        out += [float(x)] if abs(x) < 2**53 else []
        out += [bool(x), Level(x), IntPerm(x)] if x in (0, 1) else []
    elif kind is float:
        out += [-x, MyFloat(x), complex(x), math.nextafter(x, math.inf), _float_from_bits(0x7FF8000000000002)]
        out += [int(x), decimal.Decimal(x)] if x.is_integer() else []
    elif kind is complex:
        out += [complex(x.real, -x.imag), x.real, complex(-x.real, x.imag)]
    elif kind is str:
        out += [MyStr(x), NameUpper(x), NameLower(x), x.encode("utf-8", "surrogatepass"), x + "a", x[::-1]]
        out += [pathlib.PurePosixPath(x)] if x and "\0" not in x else []
        out += [Mode(x)] if x in ("r", "w") else []
    elif kind in (bytes, bytearray, MyBytes):
        out += [bytes(x), bytearray(x), MyBytes(x), memoryview(bytes(x)), memoryview(bytearray(x)), x.decode("latin-1")]
    elif kind in (list, tuple, MyList, MyTuple):
        out += [
            list(x),
            tuple(x),
            MyList(x),
            MyTuple(x),
            collections.deque(x),
            collections.deque(x, maxlen=len(x) or 1),
        ]
        out += [type(x)(reversed(x)), type(x)(x[:-1])]
        out += [Point(*x), PointAB(*x), Pair(*x)] if len(x) == 2 else []
    elif isinstance(x, tuple):  # namedtuples
        out += [tuple(x), list(x), Point(*x), PointAB(*x), Pair(*x)]
    elif kind is collections.deque:
        out += [list(x), collections.deque(x, maxlen=None if x.maxlen else len(x) + 1)]
    elif isinstance(x, Mapping):
        items = list(x.items())
        out += [dict(items), dict(items[::-1]), MyDict(items), collections.OrderedDict(items)]
        out += [collections.OrderedDict(items[::-1]), collections.defaultdict(int, items)]
        out += [collections.defaultdict(None, items), collections.defaultdict(list, items)]
        out += [types.MappingProxyType(dict(items))]
        if all(isinstance(key, str) and key.isidentifier() for key in x):
            out += [Plain(**dict(items)), Plain2(**dict(items))]
    elif kind in (set, frozenset, MySet):
        out += [set(x), frozenset(x), MySet(x), list(x)]
    elif kind is datetime.datetime:
        out += [x.replace(fold=1 - x.fold), x.replace(tzinfo=None), x.replace(tzinfo=datetime.timezone.utc)]
        out += [x.replace(tzinfo=FixedTZ(0)), x.date(), x.timetz()]
        if x.tzinfo is not None:
            out += [x.astimezone(datetime.timezone(datetime.timedelta(hours=1))), x.astimezone(datetime.timezone.utc)]
            out += [x.astimezone(zone) for zone in ZONES]
    elif kind is datetime.date:
        out += [datetime.datetime.combine(x, datetime.time()), x + datetime.timedelta(days=1)]
    elif kind is datetime.time:
        out += [x.replace(fold=1 - x.fold), x.replace(tzinfo=None), x.replace(tzinfo=datetime.timezone.utc)]
    elif isinstance(x, datetime.tzinfo):
        out += [datetime.timezone.utc, FixedTZ(0), FixedTZ(1), *ZONES]
    elif kind is decimal.Decimal:
        out += [x.copy_negate(), decimal.Decimal(str(x).lower()), decimal.Decimal(x.as_tuple())]
        out += [x.normalize(), decimal.Decimal(str(x) + "0") if "E" not in str(x) else x] if x.is_finite() else []
    elif isinstance(x, enum.Enum):
        out += [x.value, *type(x)]
        out += [getattr(other, x.name) for other in (Color, ColorA, ColorB) if x.name in other.__members__]
    elif isinstance(x, pathlib.PurePath):
        out += [str(x), pathlib.PurePosixPath(str(x)), pathlib.PosixPath(str(x)), pathlib.PureWindowsPath(str(x))]
    elif kind in (Plain, Plain2):
        attributes = vars(x)
        out += [
            Plain(**attributes),
            Plain2(**attributes),
            dict(attributes),
            DC(**attributes) if set(attributes) <= {"a", "b"} else x,
        ]
    elif kind in (TwinA, TwinB):
        out += [TwinA(x.value), TwinB(x.value), Plain(value=x.value)]
    elif kind in (DC, FrozenDC, SlotsDC, Slotted):
        out += [DC(x.a, x.b), FrozenDC(x.a, x.b), SlotsDC(x.a, x.b), Slotted(x.a, x.b)]
    elif kind is functools.partial:
        out += [functools.partial(other, *x.args) for other in (operator.add, operator.mul, scale)]
    elif kind is types.FunctionType and x.__closure__:
        (cell,) = x.__closure__
        out += [make_multiplier(cell.cell_contents), make_adder(cell.cell_contents)]
    elif kind is types.MethodType:
        out += [Plain(**vars(x.__self__)).method] if isinstance(x.__self__, Plain) else []
    if callable(x) and not isinstance(x, type):
        out += FUNCTIONS[:4]
    return out


def _mutate(data: Any, x: Any, depth: int = 0) -> Any:
    """``x`` with one part (or ``x`` itself) replaced by a neighbour."""
    kind = type(x)
    parts: list | None = None
    if kind in (list, tuple, MyList, MyTuple, collections.deque) or isinstance(x, tuple):
        parts = list(x)
    elif kind in (dict, MyDict, collections.OrderedDict, collections.defaultdict):
        parts = list(x.values())
    elif kind in (Plain, Plain2):
        parts = list(vars(x).values())
    if parts and depth < 8 and data.draw(st.booleans(), label="descend"):
        index = data.draw(st.integers(0, len(parts) - 1), label="index")
        parts[index] = _mutate(data, parts[index], depth + 1)
        if kind is collections.deque:
            return collections.deque(parts, maxlen=x.maxlen)
        if isinstance(x, tuple) and hasattr(x, "_fields"):
            return kind(*parts)
        if kind in (list, tuple, MyList, MyTuple):
            return kind(parts)
        if kind in (Plain, Plain2):
            return kind(**dict(zip(vars(x), parts)))
        rebuilt = dict(zip(x, parts))
        if kind is collections.defaultdict:
            return collections.defaultdict(x.default_factory, rebuilt)
        return kind(rebuilt)
    options = _neighbors(x)
    if not options:
        return x
    return options[data.draw(st.integers(0, len(options) - 1), label="neighbor")]


# -- interchangeable: what the same fingerprint must guarantee ------------------------------------
def _float_same(a: float, b: float) -> bool:
    if math.isnan(a) and math.isnan(b):
        return True
    return struct.pack("<d", a) == struct.pack("<d", b)


def _own_slots(cls: type) -> list[str]:
    """Slots declared by the classes of this module (the standard library's slots are caches)."""
    names = []
    for klass in cls.__mro__:
        if klass.__module__ != __name__:
            continue
        declared = vars(klass).get("__slots__", ())
        names += [declared] if isinstance(declared, str) else list(declared)
    return [name for name in names if name not in ("__dict__", "__weakref__")]


_UNSET = object()


def _code_same(a: types.CodeType, b: types.CodeType) -> bool:
    """What a code object does (line numbers and file names do not count)."""
    fields = ("co_code", "co_names", "co_varnames", "co_freevars", "co_cellvars", "co_argcount", "co_flags")
    fields += ("co_posonlyargcount", "co_kwonlyargcount", "co_name", "co_exceptiontable")
    if any(getattr(a, name, None) != getattr(b, name, None) for name in fields):
        return False
    if len(a.co_consts) != len(b.co_consts):
        return False
    for x, y in zip(a.co_consts, b.co_consts):
        if type(x) is not type(y):
            return False
        if isinstance(x, types.CodeType):
            if not _code_same(x, y):
                return False
        elif not interchangeable(x, y):
            return False
    return True


class _Checker:
    """Compares two values as any code receiving them could: exact types, contents, order where
    order counts, float bits. Cycles are compared coinductively (a pair under comparison is
    assumed interchangeable while its parts are compared)."""

    def __init__(self) -> None:
        self.assumed: set[tuple[int, int]] = set()

    def __call__(self, a: Any, b: Any) -> bool:
        if a is b:
            return True
        if type(a) is not type(b):
            return False
        key = (id(a), id(b))
        if key in self.assumed:
            return True
        self.assumed.add(key)
        same = self._compare(a, b)
        if not same:
            self.assumed.discard(key)
        return same

    def _state(self, a: Any, b: Any) -> bool:
        """Instance attributes and this module's slots."""
        if isinstance(a, (type, types.FunctionType, types.ModuleType, enum.Enum)):
            return True
        dict_a, dict_b = getattr(a, "__dict__", None), getattr(b, "__dict__", None)
        has_dict = isinstance(dict_a, dict), isinstance(dict_b, dict)
        if any(has_dict) and not (all(has_dict) and self._mapping(dict_a, dict_b)):
            return False
        return all(self(getattr(a, name, _UNSET), getattr(b, name, _UNSET)) for name in _own_slots(type(a)))

    def _sequence(self, a: Any, b: Any) -> bool:
        items_a, items_b = list(a), list(b)
        return len(items_a) == len(items_b) and all(self(x, y) for x, y in zip(items_a, items_b))

    def _match(self, items_a: list, items_b: list) -> bool:
        """Multisets: each item of ``a`` matched to an interchangeable, unused item of ``b``."""
        if len(items_a) != len(items_b):
            return False
        unused = list(items_b)
        for x in items_a:
            for index, y in enumerate(unused):
                if self(x, y):
                    del unused[index]
                    break
            else:
                return False
        return True

    def _mapping(self, a: Mapping, b: Mapping) -> bool:
        return self._match(list(a.items()), list(b.items()))

    def _compare(self, a: Any, b: Any) -> bool:
        if not self._state(a, b):
            return False
        identity_only = (type, types.ModuleType, enum.Enum, types.MethodDescriptorType, types.WrapperDescriptorType)
        if isinstance(a, identity_only) or type(a) in (object, type(None), type(Ellipsis), type(NotImplemented)):
            return False  # compared by identity (and a is not b)
        if isinstance(a, bool):
            return bool(a) == bool(b)
        if isinstance(a, int):
            return int.__eq__(a, b)
        if isinstance(a, float):
            return _float_same(a, b)
        if isinstance(a, complex):
            return _float_same(a.real, b.real) and _float_same(a.imag, b.imag)
        if isinstance(a, str):
            return str.__eq__(a, b)
        if isinstance(a, (bytes, bytearray)):
            return bytes(a) == bytes(b)
        if isinstance(a, memoryview):
            return (a.tobytes(), a.format, a.shape, a.readonly) == (b.tobytes(), b.format, b.shape, b.readonly)
        if isinstance(a, array.array):
            return (a.typecode, a.tobytes()) == (b.typecode, b.tobytes())
        if isinstance(a, (datetime.date, datetime.time)):
            same = (a.isoformat(), getattr(a, "fold", 0)) == (b.isoformat(), getattr(b, "fold", 0))
            return same and self(getattr(a, "tzinfo", None), getattr(b, "tzinfo", None))
        if isinstance(a, datetime.timedelta):
            return a == b
        if isinstance(a, datetime.timezone):
            return repr(a) == repr(b)
        if isinstance(a, zoneinfo.ZoneInfo):
            return a.key is not None and a.key == b.key
        if isinstance(a, FixedTZ):
            return True  # its state was compared
        if isinstance(a, decimal.Decimal):
            return a.as_tuple() == b.as_tuple()
        if isinstance(a, fractions.Fraction):
            return (a.numerator, a.denominator) == (b.numerator, b.denominator)
        if isinstance(a, uuid.UUID):
            return a.int == b.int
        if isinstance(a, pathlib.PurePath):
            return str(a) == str(b)
        if isinstance(a, range):
            return (a.start, a.stop, a.step) == (b.start, b.stop, b.step)
        if isinstance(a, slice):
            return self((a.start, a.stop, a.step), (b.start, b.stop, b.step))
        if isinstance(a, re.Pattern):
            return a.flags == b.flags and self(a.pattern, b.pattern)
        if isinstance(a, collections.OrderedDict):
            return self._sequence(a.items(), b.items())
        if isinstance(a, collections.defaultdict):
            return self(a.default_factory, b.default_factory) and self._mapping(a, b)
        if isinstance(a, Mapping):
            return self._mapping(a, b)
        if isinstance(a, collections.deque):
            return a.maxlen == b.maxlen and self._sequence(a, b)
        if isinstance(a, (list, tuple)):
            return self._sequence(a, b)
        if isinstance(a, (set, frozenset)):
            return self._match(list(a), list(b))
        if isinstance(a, types.FunctionType):
            cells_a = [cell.cell_contents for cell in a.__closure__ or ()]
            cells_b = [cell.cell_contents for cell in b.__closure__ or ()]
            same_names = (a.__module__, a.__qualname__, a.__name__) == (b.__module__, b.__qualname__, b.__name__)
            return (
                same_names
                and a.__globals__ is b.__globals__
                and _code_same(a.__code__, b.__code__)
                and self((a.__defaults__, a.__kwdefaults__, cells_a), (b.__defaults__, b.__kwdefaults__, cells_b))
            )
        if isinstance(a, functools.partial):
            return self((a.func, a.args, a.keywords), (b.func, b.args, b.keywords))
        if isinstance(a, types.MethodType):
            return self(a.__func__, b.__func__) and self(a.__self__, b.__self__)
        if isinstance(a, types.BuiltinFunctionType):
            return a.__qualname__ == b.__qualname__ and a.__module__ == b.__module__ and self(a.__self__, b.__self__)
        if isinstance(a, (operator.itemgetter, operator.attrgetter)):
            return self(a.__reduce__(), b.__reduce__())
        if isinstance(a, (Plain, Plain2, TwinA, TwinB, DC, FrozenDC, SlotsDC, Slotted)):
            return bool(vars(a) if hasattr(a, "__dict__") else _own_slots(type(a)))  # state compared above
        raise NotImplementedError(f"interchangeable() does not know {type(a)!r}")


def interchangeable(a: Any, b: Any) -> bool:
    return _Checker()(a, b)


def _check_pair(a: Any, b: Any) -> None:
    fingerprint_a, fingerprint_b = fp(a), fp(b)
    if fingerprint_a == fingerprint_b and not unhashable(fingerprint_a):
        assert interchangeable(a, b), f"same fingerprint {fingerprint_a} for {a!r} and {b!r}"


def _deep_copy_keeps_fingerprint(a: Any) -> None:
    fingerprint = fp(a)
    assert fp(a) == fingerprint  # deterministic
    if unhashable(fingerprint):
        return
    try:
        copied = copy.deepcopy(a)
    except TypeError:  # memoryviews
        return
    assert fp(copied) == fingerprint, a


def test_the_checker_itself() -> None:
    """interchangeable() tells apart what the property relies on it to tell apart."""
    assert interchangeable([1, {"a": 2.0}], [1, {"a": 2.0}])
    assert interchangeable({"a": 1, "b": 2}, {"b": 2, "a": 1})
    assert interchangeable({math.nan}, {float("nan")})
    assert interchangeable(make_adder(1), make_adder(1))
    assert not interchangeable(make_adder(1), make_adder(2))
    assert not interchangeable(make_adder(1), make_multiplier(1))
    assert not interchangeable(1, True)
    assert not interchangeable(0.0, -0.0)
    assert not interchangeable([1], (1,))
    assert not interchangeable(collections.OrderedDict(a=1, b=2), collections.OrderedDict(b=2, a=1))
    assert not interchangeable(collections.deque([1]), collections.deque([1], maxlen=1))
    assert not interchangeable(TwinA(1), TwinB(1))
    assert not interchangeable(Point(1, 2), PointAB(1, 2))
    assert not interchangeable(Plain(a=1), Plain(a=1.0))
    assert not interchangeable(decimal.Decimal("1.0"), decimal.Decimal("1.00"))
    utc = datetime.timezone.utc
    assert not interchangeable(datetime.datetime(2020, 1, 1, tzinfo=utc), datetime.datetime(2020, 1, 1))
    assert not interchangeable(object(), object())
    a = [1]
    a.append(a)
    b = [1]
    b.append(b)
    assert interchangeable(a, b)


# -- 1. the property ------------------------------------------------------------------------------
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@pytest.mark.parametrize("backend", BACKENDS)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_same_fingerprint_means_interchangeable_for_neighbours(backend: str, data: Any) -> None:
    """A value and a neighbour of it (one part swapped for an equal or nearly equal value of a
    related type): same fingerprint only if interchangeable."""
    a = data.draw(values, label="a")
    b = _mutate(data, a)
    with hash_backend(backend):
        _check_pair(a, b)
        _deep_copy_keeps_fingerprint(a)


@pytest.mark.parametrize("backend", BACKENDS)
@PROPERTY_SETTINGS
@given(a=values, b=values)
def test_same_fingerprint_means_interchangeable_for_independent_values(backend: str, a: Any, b: Any) -> None:
    with hash_backend(backend):
        _check_pair(a, b)


@PROPERTY_SETTINGS
@given(items=st.lists(st.tuples(hashable_leaves, values), max_size=5, unique_by=lambda item: item[0]), data=st.data())
def test_dict_order_never_counts_and_ordered_dict_order_always_does(items: list, data: Any) -> None:
    shuffled = data.draw(st.permutations(items))
    assert fp(dict(items)) == fp(dict(shuffled))
    assert fp(MyDict(items)) == fp(MyDict(shuffled))
    ordered, reordered = fp(collections.OrderedDict(items)), fp(collections.OrderedDict(shuffled))
    if not unhashable(ordered):
        same_order = [(fp(k), fp(v)) for k, v in items] == [(fp(k), fp(v)) for k, v in shuffled]
        assert (ordered == reordered) == same_order


# -- 2. regressions: callables ----------------------------------------------------------------------
def test_partials_of_different_functions_differ() -> None:
    assert_all_differ(
        functools.partial(operator.add, 3),
        functools.partial(operator.mul, 3),
        functools.partial(operator.add, 4),
        functools.partial(operator.add, 3.0),
        functools.partial(operator.add, a=3),
    )


def test_lambdas_with_different_bodies_differ() -> None:
    assert_all_differ(*LAMBDAS)
    assert fp(eval("lambda x: x + 1")) == fp(eval("lambda x: x + 1"))  # the same code: the same function


def test_closures_over_different_values_differ() -> None:
    assert_all_differ(make_multiplier(2), make_multiplier(3), make_multiplier(2.0), make_multiplier("2"), make_adder(2))
    assert fp(make_multiplier(2)) == fp(make_multiplier(2))
    assert fp(make_multiplier([1, 2])) == fp(make_multiplier([1, 2]))
    assert unhashable(fp(make_multiplier(object())))  # what the closure holds must be fingerprinted


def test_a_function_with_another_default_differs() -> None:
    assert_all_differ(scale, _function_with_defaults(scale, (3,)), _function_with_defaults(scale, (2.0,)))
    assert fp(scale) == fp(_function_with_defaults(scale, (2,)))
    renamed = _function_with_defaults(scale, (2,))
    renamed.__name__ = "other"
    assert fp(renamed) != fp(scale)


def test_bound_methods_differ_by_their_object() -> None:
    assert_all_differ(Plain(a=1).method, Plain(a=2).method, Plain2(a=1).method, Slotted(1).method, Slotted(2).method)
    assert fp(Plain(a=1).method) == fp(Plain(a=1).method)


def test_builtins_and_descriptors() -> None:
    assert_all_differ(len, abs, str.upper, str.lower, "a".upper, "b".upper, [].append, [1].append, (1).__add__)
    assert_all_differ(math.sqrt, operator.add, operator.itemgetter(0), operator.itemgetter(1), print)
    assert fp([1].append) == fp([1].append)


def test_recursive_closure_and_mutually_referencing_functions() -> None:
    def outer(n: int) -> Any:
        def countdown(k: int) -> int:
            return k if k <= n else countdown(k - 1)

        return countdown

    assert fp(outer(1)) == fp(outer(1))
    assert_all_differ(outer(1), outer(2))


# -- cycles and depth ------------------------------------------------------------------------------
def test_self_referential_containers() -> None:
    a = [1]
    a.append(a)
    same_shape = [1]
    same_shape.append(same_shape)
    d: dict = {"k": 1}
    d["self"] = d
    assert_hashable(a, d)
    assert fp(a) == fp(same_shape)
    # b's infinite unfolding equals a's, but b[1] is not b while a[1] is a (and a == b recurses
    # forever): not interchangeable, so they must differ; the encoding refers back to the
    # enclosing container by level, so the finite shapes differ.
    b = [1]
    b.append([1, b])
    assert_all_differ(a, b, [1, [1]], d, {"k": 1, "self": {}})


def test_cycles_through_objects_and_sets() -> None:
    node = Plain(value=1)
    node.next = node
    other = Plain(value=1)
    other.next = other
    pair_a, pair_b = Plain(value=1), Plain(value=1)
    pair_a.next, pair_b.next = pair_b, pair_a
    assert fp(node) == fp(other)
    assert_all_differ(node, pair_a)
    holder: list = []
    holder.append(Plain(items=holder))
    assert_hashable(holder)
    ring: dict = {}
    ring["s"] = frozenset({("x", 1)})
    ring["me"] = [ring]
    assert_hashable(ring)


def test_deep_nesting_has_no_recursion_limit() -> None:
    for leaf in (1, 2):
        nested_list: list = [leaf]
        nested_dict: dict = {"leaf": leaf}
        nested_tuple: Any = (leaf,)
        nested_mixed: Any = leaf
        for level in range(100_000):
            nested_list = [nested_list]
            nested_dict = {"k": nested_dict}
            if level < 20_000:
                nested_tuple = (nested_tuple,)
                nested_mixed = [{"k": (nested_mixed,)}] if level % 2 else collections.OrderedDict(k=[nested_mixed])
        assert_all_differ(nested_list, nested_dict, nested_tuple, nested_mixed)
    assert fp([[[[1]]]]) != fp([[[[2]]]])


def test_deeply_nested_defaultdicts_and_deques() -> None:
    """These used to recurse in Python (RecursionError). 10,000 levels, not 100,000: CPython
    itself crashes freeing 100,000 nested defaultdicts (their deallocation recurses in C)."""
    fingerprints = set()
    for leaf in (1, 2):
        nested_default = collections.defaultdict(None, {"leaf": leaf})
        nested_deque = collections.deque([leaf])
        for _ in range(10_000):
            nested_default = collections.defaultdict(None, {"k": nested_default})
            nested_deque = collections.deque([nested_deque], maxlen=1)
        fingerprints.update(assert_hashable(nested_default, nested_deque))
    assert len(fingerprints) == 4


def _nest(levels: int, leaf: Any) -> Any:
    value = leaf
    for _ in range(levels):
        value = Plain(inner=value)
    return value


def test_objects_deeper_than_max_depth_are_unhashable_never_truncated() -> None:
    limit = fingerprinting.MAX_DEPTH
    assert_all_differ(_nest(limit + 1, 1), _nest(limit + 1, 2))  # objects at depths 0..MAX_DEPTH
    assert unhashable(fp(_nest(limit + 2, 1)))
    assert unhashable(fp(_nest(limit + 2, 2)))
    assert unhashable(fp([_nest(limit + 2, 1)]))  # anywhere inside a value
    assert unhashable(fp({"k": [(_nest(limit + 2, 1),)]}))


def test_set_max_depth() -> None:
    saved = fingerprinting.MAX_DEPTH
    try:
        fingerprinting.set_max_depth(2)
        assert not unhashable(fp(_nest(3, 1)))
        assert unhashable(fp(_nest(4, 1)))
        fingerprinting.set_max_depth(20)
        assert_all_differ(_nest(21, 1), _nest(21, 2))
        assert unhashable(fp(_nest(22, 1)))
    finally:
        fingerprinting.set_max_depth(saved)
    assert unhashable(fp(_nest(saved + 2, 1)))


# -- objects and classes ---------------------------------------------------------------------------
def test_objects_are_their_class_and_state() -> None:
    assert_all_differ(Plain(a=1), Plain2(a=1), Plain(a=2), Plain(a=1, b=None), {"a": 1}, TwinA(1), TwinB(1))
    assert fp(Plain(a=1, b=2)) == fp(Plain(b=2, a=1))
    assert_all_differ(Slotted(1, 2), Slotted(1, 3), Slotted(2, 2), DC(1, 2), FrozenDC(1, 2), SlotsDC(1, 2))
    unset = Slotted.__new__(Slotted)
    unset.a = 1
    assert_all_differ(unset, Slotted(1, None))


def test_a_class_whose_methods_changed_is_another_class() -> None:
    """The same name, other code (a class edited between two runs): instances and the class differ."""
    assert_all_differ(TwinA, TwinB, TwinA(1), TwinB(1), NameUpper("x"), NameLower("x"), ColorA.RED, ColorB.RED)
    twin_again = _exec_class(_TWIN.format(body="self.value"), "Twin")
    assert fp(twin_again(1)) == fp(TwinA(1))  # redefined identically: the same fingerprint (across processes too)


_DECORATED = """
import functools

def decorate(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return function(*args, **kwargs)
    return wrapper

class Model:
    LIMITS = {limits}

    def __init__(self):
        self.value = 1

    @decorate
    def wrapped(self):
        return {wrapped}

    @functools.cached_property
    def cached(self):
        return {cached}

    @functools.lru_cache
    def memo(self):
        return {memo}

    def scaled(self, factor={default}):
        return self.value * factor

    @property
    def prop(self):
        return {prop}

    class Meta:
        ordering = {ordering}
"""
_DECORATED_BASE = dict(limits="(1, 2)", wrapped="1", cached="1", memo="1", default="2", prop="1", ordering="'a'")


@pytest.mark.parametrize(
    "change",
    [
        {"wrapped": "2"},
        {"cached": "2"},
        {"memo": "2"},
        {"default": "3"},
        {"prop": "2"},
        {"limits": "(1, 3)"},
        {"ordering": "'b'"},
    ],
)
def test_the_code_of_decorated_methods_defaults_and_constants_counts(change: dict) -> None:
    base = _exec_class(_DECORATED.format(**_DECORATED_BASE), "Model")
    changed = _exec_class(_DECORATED.format(**{**_DECORATED_BASE, **change}), "Model")
    same = _exec_class(_DECORATED.format(**_DECORATED_BASE), "Model")
    assert fp(base()) == fp(same())
    assert_all_differ(base(), changed())
    assert_all_differ(base, changed)


def test_class_attributes_that_raise_on_access_do_not_break_fingerprints() -> None:
    class Proxy:  # e.g. a context-local proxy used outside of its context
        __slots__ = ()

        def __getattr__(self, name: str) -> Any:
            raise RuntimeError("working outside of the context")

    class Service:
        current = Proxy()

        def __init__(self) -> None:
            self.value = 1

    assert_hashable(Service(), Service)


def test_classes_with_other_builtin_bases_differ() -> None:
    as_int = _exec_class("class Base(int):\n    pass\n", "Base")
    as_str = _exec_class("class Base(str):\n    pass\n", "Base")
    assert_all_differ(as_int, as_str, int, str)


def test_objects_without_state_are_unhashable() -> None:
    class Empty:
        pass

    class EmptySlots:
        __slots__ = ()

    assert unhashable(fp(object()))
    assert unhashable(fp(Empty()))
    assert unhashable(fp(EmptySlots()))
    assert unhashable(fp(Slotted.__new__(Slotted)))
    assert unhashable(fp([1, object()]))
    assert unhashable(fp({"sentinel": Empty()}))


def test_sets_of_unhashable_things_are_unhashable() -> None:
    class Empty:
        pass

    assert unhashable(fp({Empty()}))
    assert unhashable(fp(frozenset({object(), 1})))
    assert unhashable(fp({1: object()}))
    assert unhashable(fp({object(): 1}))
    assert unhashable(fp({(1, object())}))


def test_mutable_containers_are_fingerprinted_by_their_current_content() -> None:
    values_ = [[1], {"a": 1}, {1}, bytearray(b"a"), Plain(a=1), collections.deque([1]), array.array("i", [1])]
    for value in values_:
        before = fp(value)
        if isinstance(value, list):
            value.append(2)
        elif isinstance(value, dict):
            value["b"] = 2
        elif isinstance(value, set):
            value.add(2)
        elif isinstance(value, bytearray):
            value += b"b"
        elif isinstance(value, Plain):
            value.a = 2
        else:
            value.append(2)
        assert fp(value) != before, value


def test_instance_of_a_subclass_of_a_builtin_counts_its_own_state() -> None:
    class Tagged(str):
        __slots__ = ("tag",)

    first, second = Tagged("x"), Tagged("x")
    first.tag, second.tag = 1, 2
    with_attribute = MyList([1])
    with_attribute.note = "n"
    assert_all_differ(first, second, "x", MyStr("x"), with_attribute, MyList([1]), [1])


# -- containers -------------------------------------------------------------------------------------
def test_sequence_and_mapping_types_count() -> None:
    assert_all_differ([1, 2], (1, 2), MyList([1, 2]), MyTuple((1, 2)), Point(1, 2), PointAB(1, 2), Pair(1, 2))
    assert_all_differ(
        collections.deque([1, 2]), collections.deque([1, 2], maxlen=2), collections.deque([1, 2], maxlen=3)
    )
    assert_all_differ({1, 2}, frozenset({1, 2}), MySet({1, 2}), [1, 2])
    assert_all_differ(
        {"a": 1},
        collections.OrderedDict(a=1),
        MyDict(a=1),
        collections.defaultdict(int, a=1),
        collections.defaultdict(list, a=1),
        collections.defaultdict(None, a=1),
        collections.Counter(a=1),
        types.MappingProxyType({"a": 1}),
        collections.ChainMap({"a": 1}),
    )


def test_dict_key_order_is_ignored_and_ordered_dict_order_counts() -> None:
    assert fp({"a": 1, "b": 2}) == fp({"b": 2, "a": 1})
    assert fp(collections.defaultdict(int, a=1, b=2)) == fp(collections.defaultdict(int, b=2, a=1))
    assert_all_differ(collections.OrderedDict(a=1, b=2), collections.OrderedDict(b=2, a=1))
    int_key, bool_key = {1: "b"}, {True: "b"}
    assert int_key == bool_key
    assert fp(int_key) != fp(bool_key)  # the key's type counts


def test_ordered_fingerprint_of_a_mapping_keeps_its_type() -> None:
    """``hash_mapping(..., ignore_order=False)`` used to drop the mapping's type."""
    items = [("a", 1), ("b", 2)]
    ordered = [
        fingerprinting.hash_mapping(mapping, ignore_order=False)
        for mapping in (dict(items), collections.OrderedDict(items), MyDict(items), collections.defaultdict(int, items))
    ]
    assert len(set(ordered)) == 4
    assert fingerprinting.hash_mapping(dict(items), ignore_order=False) != fingerprinting.hash_mapping(
        dict(items[::-1]), ignore_order=False
    )


# -- scalars ----------------------------------------------------------------------------------------
def test_scalars_of_different_types_or_bits_differ() -> None:
    assert_all_differ(
        1, 1.0, True, "1", b"1", bytearray(b"1"), 1 + 0j, MyInt(1), MyFloat(1.0), MyStr("1"), MyBytes(b"1")
    )
    assert_all_differ(0.0, -0.0, 0, False, None, "", b"", complex(0.0, -0.0), complex(-0.0, 0.0), 0j)
    assert_all_differ(math.nan, _float_from_bits(0x7FF8000000000001), math.inf, -math.inf)
    assert fp(float("nan")) == fp(float("nan"))
    assert_all_differ("\ud800", "\ud800\udc00", "\U00010000", "\x00", "")


def test_huge_integers() -> None:
    assert_all_differ(10**5000, 10**5000 + 1, -(10**5000), 2**64, 2**64 - 1, -(2**63))
    assert assert_hashable(10**100_000)  # past sys.int_max_str_digits: never converted to text


def test_enums() -> None:
    assert_all_differ(Level.LOW, 0, False, Level.HIGH, 1, IntPerm.X, Color.RED, ColorA.RED, ColorB.RED)
    assert_all_differ(Mode.READ, "r", MyStr("r"), Mode.WRITE)
    assert_all_differ(Perm(0), Perm.R, Perm.W, Perm.R | Perm.W, IntPerm(0), IntPerm(3))


def test_standard_value_types() -> None:
    assert_all_differ(decimal.Decimal("1.0"), decimal.Decimal("1.00"), decimal.Decimal("-0"), decimal.Decimal("0"))
    assert_all_differ(fractions.Fraction(1, 2), fractions.Fraction(1, 3), 0.5)
    assert_all_differ(uuid.UUID(int=1), uuid.UUID(int=2), 1)
    assert_all_differ(re.compile("a"), re.compile("a", re.IGNORECASE), re.compile(b"a"), re.compile("b"), "a")
    assert_all_differ(slice(1, 2), slice(1, 3), (1, 2, None), slice(1.0, 2))
    assert_all_differ(datetime.timedelta(1), datetime.timedelta(seconds=1), datetime.timedelta(microseconds=1))


def test_paths_are_their_flavour_and_text() -> None:
    assert_all_differ(
        pathlib.Path("a/b"), pathlib.PurePosixPath("a/b"), pathlib.PureWindowsPath("a/b"), "a/b", pathlib.Path("a/c")
    )
    assert fp(pathlib.Path("a/b")) == fp(pathlib.Path("a") / "b")


def test_range_is_not_iterated() -> None:
    # fail fast, rather than hang, should ranges ever be walked as sequences again
    assert hash_value.dispatch(range) is not fingerprinting.hash_sequence
    assert_all_differ(range(10**18), range(10**18 + 1), range(0, 10**18, 2), range(10), list(range(10)))
    assert fp(range(0)) != fp(range(1, 1))  # equal, but that may differ


def test_buffers() -> None:
    assert_all_differ(
        array.array("i", [1]),
        array.array("l", [1]),
        array.array("I", [1]),
        array.array("d", [1]),
        array.array("i", [2]),
        array.array("i", [1, 0]),
    )
    assert_all_differ(memoryview(b"ab"), memoryview(bytearray(b"ab")), memoryview(b"ac"), b"ab")
    assert fp(memoryview(b"abcd")[::2]) == fp(memoryview(b"ac"))  # the items, wherever they lie
    assert_all_differ(memoryview(b"abcd").cast("B", (2, 2)), memoryview(b"abcd"), memoryview(b"abcd").cast("h"))
    released = memoryview(b"a")
    released.release()
    assert unhashable(fp(released))


def test_things_that_are_not_values_are_unhashable() -> None:
    assert unhashable(fp(i for i in range(3)))
    assert unhashable(fp(threading.Lock()))
    assert unhashable(fp(threading.RLock()))
    assert unhashable(fp(threading.Event()))
    assert unhashable(fp(threading.local()))
    assert unhashable(fp(sys.stdout))
    assert unhashable(fp([sys.stdin]))
    with open(__file__) as text, open(__file__, "rb") as binary:
        assert unhashable(fp(text))
        assert unhashable(fp(binary))


def test_open_files_do_not_collide(tmp_path: pathlib.Path) -> None:
    """A text file has a ``__dict__`` ({'mode': 'r'}): it used to be fingerprinted by that alone."""
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b.txt").write_text("b")
    with open(tmp_path / "a.txt") as first, open(tmp_path / "b.txt") as second:
        assert unhashable(fp(first))
        assert unhashable(fp(second))


def test_objects_deriving_from_c_types_count_the_c_state() -> None:
    first, second = ValueError("x"), ValueError("y")
    first.note = second.note = 1

    class Money(decimal.Decimal):
        pass

    one, two = Money("1"), Money("2")
    one.currency = two.currency = "EUR"
    assert_all_differ(first, second, ValueError("x"), KeyError("x"), one, two, decimal.Decimal("1"))
    assert_all_differ(io.BytesIO(b"a"), io.BytesIO(b"b"))
    assert fp(ValueError("x")) == fp(ValueError("x"))


# -- datetimes --------------------------------------------------------------------------------------
def test_datetimes() -> None:
    utc = datetime.timezone.utc
    plus_one = datetime.timezone(datetime.timedelta(hours=1))
    named = datetime.timezone(datetime.timedelta(hours=1), "CET")
    instant = datetime.datetime(2020, 1, 1, 12, tzinfo=utc)
    assert_all_differ(
        instant,
        instant.astimezone(plus_one),  # the same instant in another zone (.hour differs)
        instant.astimezone(named),
        instant.replace(tzinfo=None),  # naive
        instant.replace(tzinfo=FixedTZ(0)),
        instant.date(),
        instant.time(),
        instant.timetz(),
    )
    ambiguous = datetime.datetime(2020, 10, 25, 2, 30)
    assert_all_differ(ambiguous, ambiguous.replace(fold=1))
    assert_all_differ(datetime.time(1, 30), datetime.time(1, 30, fold=1), datetime.time(1, 30, tzinfo=utc))
    for zone in ZONES:
        assert fp(ambiguous.replace(tzinfo=zone)) != fp(ambiguous.replace(tzinfo=zone, fold=1))
        assert fp(instant.astimezone(zone)) not in (fp(instant), fp(instant.replace(tzinfo=None)))


def test_time_zones_written_in_python_count_by_state_not_address() -> None:
    """The default ``repr`` of a tzinfo is its memory address: fingerprinting it made equal zones
    differ and let a later zone, allocated at a freed zone's address, share its fingerprint."""
    first, second = FixedTZ(1), FixedTZ(1)
    assert fp(first) == fp(second)
    assert fp(datetime.datetime(2020, 1, 1, tzinfo=first)) == fp(datetime.datetime(2020, 1, 1, tzinfo=second))
    assert_all_differ(FixedTZ(1), FixedTZ(2), datetime.timezone(datetime.timedelta(hours=1)))


def test_subclasses_of_value_types_count_their_attributes() -> None:
    class Stamp(datetime.datetime):
        pass

    class Tagged(pathlib.PurePosixPath):
        pass

    first, second = Stamp(2020, 1, 1), Stamp(2020, 1, 1)
    first.source, second.source = "a", "b"
    assert_all_differ(first, second, datetime.datetime(2020, 1, 1))
    path_a, path_b = Tagged("a"), Tagged("a")
    path_a.bucket, path_b.bucket = "x", "y"
    assert_all_differ(path_a, path_b, pathlib.PurePosixPath("a"))


# -- user registrations -----------------------------------------------------------------------------
def test_registered_fingerprints_are_used_at_top_level_and_nested() -> None:
    class Celsius:
        def __init__(self, degrees: float) -> None:
            self.degrees = degrees
            self.cache = object()  # would make the default fingerprint UNHASHABLE

    class NoFingerprint:
        def __init__(self) -> None:
            self.value = 1

    calls = []

    @hash_value.register(Celsius)
    def _celsius(value: Celsius, *args: Any, **kwargs: Any) -> str:
        calls.append(value)
        return hashlib.sha256(repr(value.degrees).encode()).hexdigest()[:32]

    @hash_value.register(NoFingerprint)
    def _none(value: NoFingerprint, *args: Any, **kwargs: Any) -> str:
        return UNHASHABLE

    warm, cold = Celsius(20.0), Celsius(5.0)
    assert fp(warm) == _celsius(warm)
    nested = [fp([warm]), fp({"t": warm}), fp({warm}), fp((1, Plain(t=warm))), fp(collections.OrderedDict(t=warm))]
    assert not any(unhashable(fingerprint) for fingerprint in nested)
    assert fp([warm]) == fp([Celsius(20.0)])
    assert fp([warm]) != fp([cold])
    assert len(calls) >= 6
    assert unhashable(fp(NoFingerprint()))
    for container in ([NoFingerprint()], {"k": NoFingerprint()}, {1: (NoFingerprint(),)}, Plain(v=NoFingerprint())):
        assert unhashable(fp(container))


def test_hashing_from_threads_gives_the_same_fingerprints() -> None:
    node = Plain(value=[1, {"a": 2}])
    node.me = node
    sample = [node, make_adder(1), {frozenset({"a", "b"}): [1.5, None]}, TwinA(Plain(x=1))]
    expected = [fp(value) for value in sample]
    results: list = []

    def work() -> None:
        results.append([fp(value) for value in sample for _ in range(50)][::50])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 8


# -- 3. the same fingerprints in every process --------------------------------------------------------
_SAMPLE = """
import collections, datetime, decimal, functools, json, operator, pathlib, uuid
from hamilton.fingerprinting import hash_value


def member(x):
    return x in {"alpha", "beta", "gamma", "delta"}  # a frozenset constant: its order depends on the seed


class Local:
    KINDS = ("a", "b")

    def __init__(self):
        self.tags = {"x", "y", "z"}
        self.data = {"k1": 1, "k2": [1.5, None]}

    def total(self):
        return sum(self.data.values())


SAMPLE = {
    "set of strings": {"alpha", "beta", "gamma", "delta", "epsilon", "zeta"},
    "frozenset": frozenset({"a", "b", ("c", 1), frozenset({"d", "e"})}),
    "dict with string keys": {"alpha": 1, "beta": [2, 3], "gamma": {"delta": 4.5, "eps": {"z", "w"}}},
    "nested": [{"x": {"y", "z"}}, ("t", b"b", None, 1.5, 10**30, -0.0)],
    "function": member,
    "lambda": lambda value, names=frozenset({"p", "q", "r"}): value in names,
    "object": Local(),
    "class": Local,
    "bound method": Local().total,
    "partial": functools.partial(operator.add, 1),
    "datetime": datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc),
    "path": pathlib.PurePosixPath("a/b"),
    "decimal": decimal.Decimal("1.50"),
    "uuid": uuid.UUID(int=5),
    "ordered": collections.OrderedDict(b=1, a=2),
    "defaultdict": collections.defaultdict(list, {"a": [1], "b": [2]}),
    "string": "text",
    "none": None,
}
"""
_PRINT_SAMPLE = _SAMPLE + "print(json.dumps({name: hash_value(value) for name, value in SAMPLE.items()}))\n"


def _sample_here() -> dict[str, str]:
    namespace: dict[str, Any] = {"__name__": "__main__"}
    # dont_inherit: compiled as ``python -c`` compiles it, without this file's __future__ flags
    # (they are part of a code object's flags, so of its fingerprint)
    exec(compile(_SAMPLE, "<sample>", "exec", dont_inherit=True), namespace)
    return {name: fp(value) for name, value in namespace["SAMPLE"].items()}


@spawns_processes
def test_fingerprints_do_not_depend_on_the_hash_seed() -> None:
    runs = [json.loads(run_python(_PRINT_SAMPLE, hashseed=seed)) for seed in ("0", "1", "4242")]
    assert runs[0] == runs[1] == runs[2]
    assert not any(unhashable(fingerprint) for fingerprint in runs[0].values())
    assert runs[0] == _sample_here()  # and the same as in this process


@spawns_processes
def test_blake2b_fallback_without_xxhash() -> None:
    """Without xxhash: BLAKE2b-128 fingerprints, 32 hex characters, seed-independent, the same as
    this process makes with BLAKE2b; and other than the XXH3 ones (a shared cache misses, it never
    confuses two values)."""
    algorithm = run_python("from hamilton import _digest\nprint(_digest.algorithm())", block_xxhash=True)
    assert algorithm.strip() == "blake2b-128"
    runs = [json.loads(run_python(_PRINT_SAMPLE, hashseed=seed, block_xxhash=True)) for seed in ("0", "1")]
    assert runs[0] == runs[1]
    with hash_backend("blake2b-128"):
        assert runs[0] == _sample_here()
    for name, fingerprint in runs[0].items():
        assert fingerprint == fingerprinting.NONE_HASH or re.fullmatch(r"[0-9a-f]{32}", fingerprint), name
    if HAVE_XXHASH:
        with hash_backend("xxh3_128"):
            xxh3 = _sample_here()
        assert json.loads(run_python(_PRINT_SAMPLE)) == xxh3
        differing = {name for name in xxh3 if xxh3[name] != runs[0][name]}
        assert differing == set(xxh3) - {"none"}


@spawns_processes
@pytest.mark.skipif(not HAVE_XXHASH, reason="xxhash is not installed: this process already runs BLAKE2b")
def test_regressions_hold_with_the_blake2b_fallback() -> None:
    """This file's non-property tests again, in a process where ``import xxhash`` fails (the
    properties run under both backends in this process already)."""
    code = (
        "import pytest, sys\n"
        f"sys.exit(pytest.main([{__file__!r}, '-q', '-x', '-p', 'no:cacheprovider', '-k', 'not interchangeable']))\n"
    )
    env = dict(os.environ, **{_CHILD_ENV: "1"})
    prelude = "import sys\nsys.modules['xxhash'] = None\n"
    result = subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout


def test_backend_in_this_process() -> None:
    from hamilton import _digest

    assert _digest.algorithm() == ("xxh3_128" if HAVE_XXHASH and not IN_CHILD else "blake2b-128")


_USER_MODULE = """
import dataclasses
import functools


class Account:
    RATE = 0.05

    def __init__(self, owner, balance):
        self.owner = owner
        self.balance = balance
        self.history = [("open", balance)]
        self.tags = {"new", "retail", "eu"}

    def interest(self):
        return self.balance * self.RATE

    @functools.cached_property
    def label(self):
        return f"{self.owner}: {self.balance}"


@dataclasses.dataclass(frozen=True, slots=True)
class Entry:
    account: Account
    amounts: tuple = (1, 2)


def make():
    return Account("ann", 100)
"""
_PRINT_USER = """
import json
import fp_user_module as m
from hamilton.fingerprinting import hash_value

account = m.make()
values = {
    "class": m.Account,
    "instance": account,
    "method": account.interest,
    "entry": m.Entry(account),
    "function": m.make,
    "plain": [1, "two"],
}
print(json.dumps({name: hash_value(value) for name, value in values.items()}))
"""


@spawns_processes
def test_a_user_class_from_a_file_has_the_same_fingerprint_in_every_process(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "fp_user_module.py").write_text(_USER_MODULE)
    first = json.loads(run_python(_PRINT_USER, hashseed="1", path=tmp_path))
    second = json.loads(run_python(_PRINT_USER, hashseed="2", path=tmp_path))
    assert first == second
    assert not any(unhashable(fingerprint) for fingerprint in first.values())

    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "fp_user_module", raising=False)
    module = importlib.import_module("fp_user_module")
    try:
        account = module.make()
        assert fp(module.Account) == first["class"]
        assert fp(account) == first["instance"]
        assert fp(account.interest) == first["method"]
        assert fp(module.Entry(account)) == first["entry"]
    finally:
        sys.modules.pop("fp_user_module", None)

    # the class edited (a cached_property's body): the class and what holds it differ, the rest not
    (tmp_path / "fp_user_module.py").write_text(_USER_MODULE.replace('f"{self.owner}: ', 'f"{self.owner} - '))
    edited = json.loads(run_python(_PRINT_USER, hashseed="1", path=tmp_path))
    # the function calls Account (a global), which its fingerprint does not follow
    assert {name for name in first if first[name] != edited[name]} == {"class", "instance", "method", "entry"}
