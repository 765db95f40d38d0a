"""Fingerprints of what is not a builtin scalar or container (the default of ``hash_value``).

* **Callables** by what they compute: a function by its module, qualified name, bytecode
  (constants and nested functions included, line numbers not), defaults, closure values and
  attributes; a ``functools.partial`` by its function and bound arguments; a bound method by
  its function and its object; a builtin by its name and the object it is bound to.
* **Classes** by module, qualified name, bases and the code of their methods along the MRO
  (so an object whose class changed its methods is a different value), seen through
  decorators (``functools.wraps`` wrappers, ``lru_cache``, ``cached_property``, property,
  static and class methods) with the methods' literal defaults, plus literal class constants
  (scalars, tuples, frozensets) and nested classes.
* **Objects** by their class and state: ``__dict__`` and ``__slots__`` (1.x hashed the
  ``__dict__`` alone). An object with no state at all is UNHASHABLE, as in 1.x: its
  behaviour cannot be told from its value. An object whose class derives from a C type
  (an exception, a Decimal subclass, an open file) also by the state pickle saves, since its
  ``__dict__`` does not show the C type's state; UNHASHABLE if pickle cannot save it.
* **Other objects** (C types): their raw buffer if they export one, else the state pickle
  would save (``__reduce_ex__``), since the cache stores exactly that. Objects that pickle
  without any state (``object()`` sentinels) are UNHASHABLE.
* **Standard value types** (datetimes, paths, enums, ranges, arrays, memoryviews) by value;
  an instance of a subclass of one also by its class and its own attributes. Time zones by
  their ``repr``, unless it is the default one (a memory address): then by class and state.

A fingerprint never covers module globals a function reads, just as a node's code version
does not: change a global constant and the cache does not notice (see docs/caching.md).
"""

from __future__ import annotations

import array
import collections
import contextlib
import copyreg
import datetime
import enum
import functools
import pathlib
import types
import weakref
from typing import Any

from hamilton import fingerprinting
from hamilton._digest import Hasher
from hamilton.fingerprinting import UNHASHABLE, hash_value

_HEAP_TYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: classes defined in Python (and some C extensions)
_IMMUTABLE_TYPE = 1 << 8  # Py_TPFLAGS_IMMUTABLETYPE: C types, static or heap (never Python classes)
_SKIPPED_CLASS_ATTRIBUTES = frozenset(
    {"__dict__", "__weakref__", "__module__", "__qualname__", "__doc__", "__slots__", "__annotations__"}
)
_CONSTANT_TYPES = (type(None), bool, int, float, complex, str, bytes)

_code_digests: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_class_digests: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_slot_names: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _qualified_name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


# -- code ----------------------------------------------------------------------------------------
def code_digest(code: types.CodeType) -> str:
    """A digest of what a code object does: bytecode, constants (nested code included), names
    and argument layout, without file names or line numbers. Remembered per code object."""
    digest = _code_digests.get(code)
    if digest is None:
        digest = _code_digests[code] = _compute_code_digest(code)
    return digest


def _compute_code_digest(code: types.CodeType) -> str:
    hasher = Hasher("code").add_text(code.co_name).add_buffer(code.co_code)
    hasher.add_buffer(getattr(code, "co_exceptiontable", b""))  # which handler catches what (3.11+)
    for number in (code.co_argcount, code.co_posonlyargcount, code.co_kwonlyargcount, code.co_flags):
        hasher.add_int(number)
    for names in (code.co_names, code.co_varnames, code.co_freevars, code.co_cellvars):
        hasher.add_text("\x00".join(names))
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            hasher.add_text(code_digest(constant))
        elif not hasher.add_value(constant):  # constants are literals: always hashable
            hasher.add_text(repr(constant))
    return hasher.hexdigest()


# -- classes -------------------------------------------------------------------------------------
def class_digest(cls: type) -> str:
    """Module, qualified name and, for classes written in Python, their methods' code and simple
    constants along the MRO. Remembered per class (classes are not expected to change)."""
    try:
        digest = _class_digests.get(cls)
    except TypeError:  # not weak-referenceable
        return _compute_class_digest(cls)
    if digest is None:
        digest = _class_digests[cls] = _compute_class_digest(cls)
    return digest


def _is_literal(value: Any, depth: int = 0) -> bool:
    """A constant, or a tuple/frozenset of literals: values a class or a default can hold that
    cannot change (exact types: enum members and mutable containers are not literals)."""
    cls = type(value)
    if cls in _CONSTANT_TYPES:
        return True
    return cls in (tuple, frozenset) and depth < 32 and all(_is_literal(item, depth + 1) for item in value)


def _add_literal_or_type(hasher: Hasher, value: Any) -> None:
    if _is_literal(value):
        hasher.add_value(value)
    elif isinstance(value, type):  # by name: its digest could lead back to the class being digested
        hasher.add_text("<class " + _qualified_name(value) + ">")
    else:  # any other object counts by its type only
        hasher.add_text("<" + _qualified_name(type(value)) + ">")


# Decorator objects that keep the decorated function in ``.func``.
_FUNC_HOLDERS = (functools.cached_property, functools.partialmethod, functools.singledispatchmethod)


def _add_code(hasher: Hasher, attribute: Any) -> bool:
    """Adds the code a class attribute runs, through the decorators around it: the functions
    of staticmethod/classmethod/property, ``.func`` of cached_property/partialmethod, the
    ``__wrapped__`` of ``functools.wraps``/``lru_cache`` wrappers and the functions a wrapper's
    closure holds; each function with its literal defaults and closure values. False if none."""
    found = False
    seen: set[int] = set()
    pending = [attribute]
    while pending:
        item = pending.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, (staticmethod, classmethod)):
            pending.append(item.__func__)
        elif isinstance(item, property):
            pending.extend((item.fdel, item.fset, item.fget))
        elif isinstance(item, _FUNC_HOLDERS):
            pending.append(item.func)
            for bound in (getattr(item, "args", ()), getattr(item, "keywords", {})):
                _add_literal_or_type(hasher, bound)
        elif isinstance(item, types.FunctionType):
            found = True
            hasher.add_text(code_digest(item.__code__))
            for defaults in (item.__defaults__, item.__kwdefaults__):
                _add_literal_or_type(hasher, defaults)
            for cell in _closure_values(item):
                if not cell:
                    hasher.add_text("<empty>")
                elif callable(cell[0]) and not isinstance(cell[0], type):
                    pending.append(cell[0])  # the decorated function, most often
                else:
                    _add_literal_or_type(hasher, cell[0])
            pending.append(item.__dict__.get("__wrapped__"))
        else:  # a builtin or another object: its type (a builtin's name), and what it wraps
            hasher.add_text("<" + _qualified_name(type(item)) + ">")
            if isinstance(item, types.BuiltinFunctionType):
                hasher.add_text(item.__qualname__)
            try:  # without __getattr__: class attributes can be lazy proxies that raise
                attributes = object.__getattribute__(item, "__dict__")
            except Exception:
                continue
            if isinstance(attributes, dict):
                pending.append(attributes.get("__wrapped__"))
    return found


def _compute_class_digest(cls: type) -> str:
    hasher = Hasher("class").add_text(_qualified_name(cls))
    for klass in cls.__mro__:
        if klass is object:
            continue
        hasher.add_text(_qualified_name(klass))
        if not klass.__flags__ & _HEAP_TYPE:
            continue
        for name in sorted(vars(klass)):
            if name in _SKIPPED_CLASS_ATTRIBUTES:
                continue
            attribute = vars(klass)[name]
            code = Hasher("code")
            if _add_code(code, attribute):
                hasher.add_text(name).add_text(code.hexdigest())
            elif _is_literal(attribute):  # exact types: enum members are skipped
                hasher.add_text(name)
                hasher.add_value(attribute)
            elif _is_nested_class(attribute, klass):  # class Meta: ... (cannot lead back to klass)
                hasher.add_text(name).add_text(class_digest(attribute))
    return hasher.hexdigest()


def _is_nested_class(attribute: Any, owner: type) -> bool:
    return (
        isinstance(attribute, type)
        and attribute.__module__ == owner.__module__
        and attribute.__qualname__.startswith(owner.__qualname__ + ".")
    )


# -- callables -----------------------------------------------------------------------------------
def _closure_values(function: types.FunctionType) -> tuple:
    """Each cell as ``(value,)``, or ``()`` while it is still empty."""
    cells = function.__closure__ or ()
    values = []
    for cell in cells:
        try:
            values.append((cell.cell_contents,))
        except ValueError:
            values.append(())
    return tuple(values)


def _function(function: types.FunctionType, depth: int) -> str:
    hasher = Hasher("function").add_text(function.__module__ or "").add_text(function.__qualname__)
    hasher.add_text(function.__name__)
    hasher.add_text(code_digest(function.__code__))
    bound = (function.__defaults__, function.__kwdefaults__, _closure_values(function), function.__dict__)
    return hasher.hexdigest() if hasher.add_value(bound, depth) else UNHASHABLE


def _bound_to(hasher: Hasher, owner: Any, depth: int) -> bool:
    """Adds what a builtin or method is bound to (a module counts by name)."""
    if owner is None or isinstance(owner, types.ModuleType):
        hasher.add_text(getattr(owner, "__name__", ""))
        return True
    return hasher.add_value(owner, depth)


def _builtin(function: Any, depth: int) -> str:
    hasher = Hasher("builtin").add_text(getattr(function, "__module__", None) or "")
    hasher.add_text(function.__qualname__)
    return hasher.hexdigest() if _bound_to(hasher, function.__self__, depth) else UNHASHABLE


def _method(method: types.MethodType, depth: int) -> str:
    hasher = Hasher("method")
    if not hasher.add_value(method.__func__, depth) or not _bound_to(hasher, method.__self__, depth):
        return UNHASHABLE
    return hasher.hexdigest()


def _descriptor(descriptor: Any, depth: int) -> str:
    """Unbound C methods (``str.upper``) and method-wrappers (``(1).__add__``)."""
    hasher = Hasher(type(descriptor).__name__).add_text(descriptor.__qualname__)
    owner = getattr(descriptor, "__self__", None)
    if owner is not None and not isinstance(owner, type) and not _bound_to(hasher, owner, depth):
        return UNHASHABLE
    objclass = getattr(descriptor, "__objclass__", None)
    if objclass is not None:
        hasher.add_text(_qualified_name(objclass))
    return hasher.hexdigest()


def _partial(partial: functools.partial, depth: int) -> str:
    hasher = Hasher(_qualified_name(type(partial)))
    bound = (partial.func, partial.args, partial.keywords, getattr(partial, "__dict__", None))
    return hasher.hexdigest() if hasher.add_value(bound, depth) else UNHASHABLE


def _wrapped_function(wrapper: Any, depth: int) -> str:
    """staticmethod/classmethod objects, by their function."""
    hasher = Hasher(_qualified_name(type(wrapper)))
    return hasher.hexdigest() if hasher.add_value(wrapper.__func__, depth) else UNHASHABLE


def _property(value: property, depth: int) -> str:
    hasher = Hasher("property")
    return hasher.hexdigest() if hasher.add_value((value.fget, value.fset, value.fdel), depth) else UNHASHABLE


_CALLABLES = {
    types.FunctionType: _function,
    types.BuiltinFunctionType: _builtin,
    types.MethodType: _method,
    types.MethodDescriptorType: _descriptor,
    types.WrapperDescriptorType: _descriptor,
    types.MethodWrapperType: _descriptor,
    types.ClassMethodDescriptorType: _descriptor,
    staticmethod: _wrapped_function,
    classmethod: _wrapped_function,
    property: _property,
}


# -- objects -------------------------------------------------------------------------------------
def _slots_of(cls: type, stop: tuple[type, ...] = ()) -> tuple[str, ...]:
    """Attribute names of every ``__slots__`` along the MRO (private names mangled), up to the
    first class in ``stop``."""
    try:
        names = None if stop else _slot_names.get(cls)
    except TypeError:
        names = None
    if names is not None:
        return names
    found: list[str] = []
    for klass in cls.__mro__:
        if klass in stop:
            break
        declared = vars(klass).get("__slots__", ())
        for name in (declared,) if isinstance(declared, str) else declared:
            if name in ("__dict__", "__weakref__"):
                continue
            if name.startswith("__") and not name.endswith("__"):
                name = f"_{klass.__name__.lstrip('_')}{name}"
            found.append(name)
    names = tuple(found)
    if stop:
        return names
    with contextlib.suppress(TypeError):  # not weak-referenceable
        _slot_names[cls] = names
    return names


def may_hold_state(cls: type) -> bool:
    """Whether :func:`instance_state` can find anything in an instance of ``cls`` (False for
    namedtuples, numpy scalars...)."""
    return bool(cls.__dictoffset__ or _slots_of(cls) or issubclass(cls, (collections.defaultdict, collections.deque)))


def instance_state(value: Any, stop: tuple[type, ...] = ()) -> dict[str, Any]:
    """What an instance of a subclass of a builtin or standard type holds beside the value its
    base type defines: its ``__dict__``, its slots (declared above ``stop``), a defaultdict's
    ``default_factory``, a deque's ``maxlen``. Empty when there is nothing of the kind."""
    state: dict[str, Any] = {}
    attributes = getattr(value, "__dict__", None)
    if isinstance(attributes, dict) and attributes:
        state["__dict__"] = attributes
    slots = {}
    for name in _slots_of(type(value), stop):
        try:
            slots[name] = getattr(value, name)
        except AttributeError:  # an unset slot
            continue
    if slots:
        state["__slots__"] = slots
    if isinstance(value, collections.defaultdict):
        state["default_factory"] = value.default_factory
    if isinstance(value, collections.deque):
        state["maxlen"] = value.maxlen
    return state


def _add_subclass_state(hasher: Hasher, value: Any, exact: tuple[type, ...], depth: int) -> bool:
    """For an instance of a subclass of one of the ``exact`` types, adds its class (methods'
    code included) and :func:`instance_state`; False if that state has no fingerprint."""
    cls = type(value)
    if cls in exact:
        return True
    hasher.add_text(class_digest(cls))
    return hasher.add_value(instance_state(value, exact), depth + 1)


def _declares_state(cls: type) -> bool:
    return any("__slots__" in vars(klass) for klass in cls.__mro__ if klass is not object)


def _has_native_base(cls: type) -> bool:
    """Whether a C type other than ``object`` is among ``cls``'s bases: its instances may hold
    state that neither ``__dict__`` nor ``__slots__`` shows (an exception's ``args``, a
    Decimal's value, an open file's handle)."""
    return any(
        klass is not object and (not klass.__flags__ & _HEAP_TYPE or klass.__flags__ & _IMMUTABLE_TYPE)
        for klass in cls.__mro__
    )


def _buffer_digest(value: Any) -> str | None:
    """Type, layout and bytes of an object exporting a buffer (numpy arrays without their
    plugin, ``array.array``, ``memoryview``...); None if it exports none."""
    try:
        view = memoryview(value)
    except TypeError:
        return None
    except ValueError:  # e.g. numpy arrays of objects or datetimes: no buffer
        return None
    with view:
        hasher = Hasher("buffer").add_text(_qualified_name(type(value))).add_text(view.format)
        hasher.add_int(view.itemsize).add_int(view.readonly)
        hasher.add_text(repr(view.shape))
        hasher.add_buffer(view if view.c_contiguous else view.tobytes())
        return hasher.hexdigest()


def _state_digest(value: Any, depth: int) -> str:
    state = instance_state(value)
    buffer = _buffer_digest(value)
    if not state:
        # nothing but identity (two such objects cannot be told apart), unless it holds data
        return buffer if buffer is not None else UNHASHABLE
    hasher = Hasher("object").add_text(class_digest(type(value)))
    if buffer is not None:
        hasher.add_text(buffer)
    return hasher.hexdigest() if hasher.add_value(state, depth) else UNHASHABLE


def _reduce_digest(value: Any, depth: int) -> str:
    """The state pickle would save: the cache stores exactly that, so it defines the value."""
    cls = type(value)
    try:
        reducer = copyreg.dispatch_table.get(cls)
        reduced = reducer(value) if reducer is not None else value.__reduce_ex__(4)
    except Exception:
        return UNHASHABLE
    if isinstance(reduced, str):  # pickled by reference to a global of that name
        return Hasher("global").add_text(cls.__module__).add_text(reduced).hexdigest()
    if not isinstance(reduced, tuple) or len(reduced) < 2:
        return UNHASHABLE
    constructor, arguments, *rest = reduced
    state = rest[0] if rest else None
    items = [list(extra) if extra is not None else None for extra in rest[1:3]]
    bare = constructor in (copyreg.__newobj__, copyreg.__newobj_ex__) and tuple(arguments)[1:] in ((), ((), {}))
    if bare and state is None and not any(items):
        return UNHASHABLE  # an object with nothing but its class: a sentinel
    hasher = Hasher("reduce").add_text(_qualified_name(cls))
    if not hasher.add_value((constructor, tuple(arguments), state, *items), depth):
        return UNHASHABLE
    return hasher.hexdigest()


def _native_state_digest(value: Any, depth: int) -> str:
    """An object with attributes whose class derives from a C type: what pickle saves (the C
    type's state, e.g. an exception's ``args``) and its attributes; UNHASHABLE if pickle
    cannot save it (open files, sockets, thread-locals)."""
    reduced = _reduce_digest(value, depth)
    if reduced == UNHASHABLE:
        return UNHASHABLE
    hasher = Hasher("native object").add_text(class_digest(type(value))).add_text(reduced)
    return hasher.hexdigest() if hasher.add_value(instance_state(value), depth) else UNHASHABLE


def fingerprint_object(value: Any, depth: int) -> str:
    """The default of ``hash_value``: see the module docstring."""
    if isinstance(value, type):
        return class_digest(value)
    if isinstance(value, types.ModuleType):
        return Hasher("module").add_text(value.__name__).hexdigest()
    active = fingerprinting.objects_in_progress()
    identity = id(value)
    level = active.get(identity)
    if level is not None:  # the object contains itself: refer to the enclosing one
        return f"<cycle:{level}>"
    active[identity] = len(active)
    try:
        cls = type(value)
        handler = _CALLABLES.get(cls)
        if handler is not None:
            return handler(value, depth)
        if isinstance(value, functools.partial):
            return _partial(value, depth)
        if isinstance(getattr(value, "__dict__", None), dict) or _declares_state(cls):
            if _has_native_base(cls):
                return _native_state_digest(value, depth)
            return _state_digest(value, depth)
        buffer = _buffer_digest(value)
        if buffer is not None:
            return buffer
        return _reduce_digest(value, depth)
    finally:
        del active[identity]


# -- standard value types ------------------------------------------------------------------------
_DATETIMES = (datetime.date, datetime.datetime, datetime.time)
_PATHS = (
    pathlib.PurePath,
    pathlib.PurePosixPath,
    pathlib.PureWindowsPath,
    pathlib.Path,
    pathlib.PosixPath,
    pathlib.WindowsPath,
)


@hash_value.register(datetime.date)
@hash_value.register(datetime.time)
def hash_datetime(value: datetime.date | datetime.time, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    """ISO text, time zone and fold: equal instants in different zones differ (``.hour`` does)."""
    hasher = Hasher(_qualified_name(type(value))).add_text(value.isoformat())
    hasher.add_int(getattr(value, "fold", 0))
    tzinfo = getattr(value, "tzinfo", None)
    if tzinfo is None or type(tzinfo) is datetime.timezone:  # the common cases, directly
        hasher.add_text(repr(tzinfo))
    elif not hasher.add_value(tzinfo, depth + 1):
        return UNHASHABLE
    return hasher.hexdigest() if _add_subclass_state(hasher, value, _DATETIMES, depth) else UNHASHABLE


@hash_value.register(datetime.timedelta)
def hash_timedelta(value: datetime.timedelta, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    hasher = Hasher(_qualified_name(type(value)))
    hasher.add_int(value.days).add_int(value.seconds).add_int(value.microseconds)
    return hasher.hexdigest() if _add_subclass_state(hasher, value, (datetime.timedelta,), depth) else UNHASHABLE


@hash_value.register(datetime.tzinfo)
def hash_tzinfo(value: datetime.tzinfo, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    """A time zone by its class and ``repr`` (``datetime.timezone``: offset and name; ZoneInfo:
    the key; pytz, dateutil: the zone's name or file). One with the default ``repr``, which
    shows nothing but a memory address (a later object can reuse it), by its state instead."""
    cls = type(value)
    if cls.__repr__ is object.__repr__ or (_qualified_name(cls) == "zoneinfo.ZoneInfo" and value.key is None):
        if depth > fingerprinting.MAX_DEPTH:
            return UNHASHABLE
        return fingerprint_object(value, depth)
    return Hasher("tzinfo").add_text(class_digest(cls)).add_text(repr(value)).hexdigest()


@hash_value.register(pathlib.PurePath)
def hash_path(value: pathlib.PurePath, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    """The path's type (Posix or Windows flavour) and text; never the file's content."""
    hasher = Hasher(_qualified_name(type(value))).add_text(str(value))
    return hasher.hexdigest() if _add_subclass_state(hasher, value, _PATHS, depth) else UNHASHABLE


@hash_value.register(enum.Enum)
@hash_value.register(enum.IntEnum)  # before int in the MRO of IntEnums: registered explicitly
@hash_value.register(enum.IntFlag)
def hash_enum(value: enum.Enum, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    """The enum class (its methods' code included), the member's name and its value."""
    hasher = Hasher("enum").add_text(class_digest(type(value)))
    hasher.add_value(value.name, depth + 1)  # None for an empty or, before 3.11, a combined Flag
    return hasher.hexdigest() if hasher.add_value(value.value, depth + 1) else UNHASHABLE


@hash_value.register(range)
def hash_range(value: range, *args: Any, **kwargs: Any) -> str:
    return Hasher("range").add_int(value.start).add_int(value.stop).add_int(value.step).hexdigest()


@hash_value.register(memoryview)
@hash_value.register(array.array)
def hash_buffer(value: memoryview | array.array, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    digest = _buffer_digest(value)
    if digest is None:
        return UNHASHABLE
    hasher = Hasher("buffer value").add_text(digest)
    return hasher.hexdigest() if _add_subclass_state(hasher, value, (memoryview, array.array), depth) else UNHASHABLE
