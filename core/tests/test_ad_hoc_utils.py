"""hamilton.ad_hoc_utils: modules made on the fly from functions or source code (Hamilton 1.x
contract).
"""

import inspect
import pathlib
import sys
import tempfile
import textwrap
import uuid

import pytest
from resources import ah_functions

from hamilton import ad_hoc_utils, driver

SOURCE = textwrap.dedent(
    '''
    def base(x: int) -> int:
        """Base doc."""
        return x + 1


    def shown(base: int, suffix: str = "!") -> str:
        return f"{base}{suffix}"
    '''
)


@pytest.fixture
def module_names():
    """Names of modules a test registers; they are removed from sys.modules afterwards."""
    names = []
    yield names
    for name in names:
        sys.modules.pop(name, None)


def unique_name(prefix):
    return f"{prefix}_{uuid.uuid4().hex}"


def build(module):
    return driver.Builder().with_modules(module).build()


# -- create_temporary_module -----------------------------------------------------------------------


def test_temporary_module_holds_the_functions(module_names):
    module = ad_hoc_utils.create_temporary_module(ah_functions.doubled, ah_functions.described)
    module_names.append(module.__name__)
    assert module.doubled(2) == 4
    assert module.described(4) == "4!"
    assert module.described.__doc__ == "Describes the doubled value."


def test_temporary_module_gets_a_unique_name_and_is_registered(module_names):
    first = ad_hoc_utils.create_temporary_module(ah_functions.doubled)
    second = ad_hoc_utils.create_temporary_module(ah_functions.doubled)
    module_names.extend([first.__name__, second.__name__])
    assert first.__name__.startswith("temporary_module_")
    assert first.__name__ != second.__name__
    assert sys.modules[first.__name__] is first
    assert sys.modules[second.__name__] is second


def test_temporary_module_copies_the_functions(module_names):
    module = ad_hoc_utils.create_temporary_module(ah_functions.doubled)
    module_names.append(module.__name__)
    assert module.doubled is not ah_functions.doubled
    assert module.doubled.__module__ == module.__name__
    assert ah_functions.doubled.__module__ == ah_functions.__name__


def test_temporary_module_with_a_given_name(module_names):
    name = unique_name("ad_hoc_named")
    module = ad_hoc_utils.create_temporary_module(ah_functions.doubled, module_name=name)
    module_names.append(name)
    assert module.__name__ == name
    assert sys.modules[name] is module


def test_temporary_module_becomes_a_dataflow(module_names):
    module = ad_hoc_utils.create_temporary_module(ah_functions.doubled, ah_functions.described)
    module_names.append(module.__name__)
    dr = build(module)
    nodes = {n.name: n for n in dr.list_available_variables()}
    assert nodes["described"].tags == {"module": module.__name__}
    assert nodes["described"].documentation == "Describes the doubled value."
    assert nodes["described"].optional_dependencies == {"suffix"}
    assert dr.execute(["described"], inputs={"x": 3}) == {"described": "6!"}


def test_temporary_module_functions_may_be_requested_as_outputs(module_names):
    module = ad_hoc_utils.create_temporary_module(ah_functions.doubled)
    module_names.append(module.__name__)
    assert build(module).execute([module.doubled], inputs={"x": 1}) == {"doubled": 2}


def test_temporary_module_name_must_be_new(module_names):
    name = unique_name("ad_hoc_taken")
    module_names.append(name)
    ad_hoc_utils.create_temporary_module(ah_functions.doubled, module_name=name)
    with pytest.raises(ValueError, match=f"Module already exists with name: {name}"):
        ad_hoc_utils.create_temporary_module(ah_functions.described, module_name=name)
    with pytest.raises(ValueError, match="Module already exists with name: sys"):
        ad_hoc_utils.create_temporary_module(ah_functions.doubled, module_name="sys")


def test_temporary_module_rejects_private_functions(module_names):
    name = unique_name("ad_hoc_private")
    module_names.append(name)
    with pytest.raises(ValueError, match="In Hamilton, functions that start with '_' are reserved as helpers"):
        ad_hoc_utils.create_temporary_module(ah_functions.doubled, ah_functions._hidden, module_name=name)
    assert name not in sys.modules


def test_temporary_module_rejects_duplicate_names(module_names):
    name = unique_name("ad_hoc_duplicate")
    module_names.append(name)
    with pytest.raises(ValueError, match="Duplicate/reserved function name: doubled"):
        ad_hoc_utils.create_temporary_module(ah_functions.doubled, ah_functions.doubled, module_name=name)
    assert name not in sys.modules


# -- module_from_source ----------------------------------------------------------------------------


def test_module_from_source_runs_the_source(module_names):
    module = ad_hoc_utils.module_from_source(SOURCE)
    module_names.append(module.__name__)
    assert module.base(1) == 2
    assert module.shown(2) == "2!"
    assert module.base.__module__ == module.__name__
    assert sys.modules[module.__name__] is module


def test_module_from_source_with_a_given_name(module_names):
    name = unique_name("from_source")
    module = ad_hoc_utils.module_from_source(SOURCE, module_name=name)
    module_names.append(name)
    assert module.__name__ == name
    assert sys.modules[name] is module


def test_module_from_source_supports_getsource(module_names):
    module = ad_hoc_utils.module_from_source(SOURCE)
    module_names.append(module.__name__)
    assert inspect.getsource(module.base) == 'def base(x: int) -> int:\n    """Base doc."""\n    return x + 1\n'


def test_module_from_source_becomes_a_dataflow_with_versions(module_names):
    module = ad_hoc_utils.module_from_source(SOURCE)
    module_names.append(module.__name__)
    dr = build(module)
    nodes = {n.name: n for n in dr.list_available_variables()}
    assert dr.execute(["shown"], inputs={"x": 1, "suffix": "?"}) == {"shown": "2?"}
    assert nodes["base"].documentation == "Base doc."
    assert nodes["base"].as_dict()["source"] == inspect.getsource(module.base)
    assert nodes["base"].version is not None


# -- create_module ---------------------------------------------------------------------------------


@pytest.fixture
def temp_dir(tmp_path, monkeypatch):
    """Make create_module write its file under tmp_path."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_create_module_imports_the_source(temp_dir, module_names):
    name = unique_name("created")
    module = ad_hoc_utils.create_module(SOURCE, module_name=name)
    module_names.append(name)
    assert module.__name__ == name
    assert sys.modules[name] is module
    assert module.base(1) == 2
    assert pathlib.Path(module.__file__).is_relative_to(temp_dir)


def test_create_module_supports_getsource_and_builds_a_dataflow(temp_dir, module_names):
    module = ad_hoc_utils.create_module(SOURCE, module_name=unique_name("created"))
    module_names.append(module.__name__)
    assert inspect.getsource(module.shown).startswith("def shown(base: int, suffix: str = ")
    dr = build(module)
    assert dr.execute(["shown"], inputs={"x": 4}) == {"shown": "5!"}
