"""1.x's ``_get_loading_kwargs``/``_get_saving_kwargs``: the options the caller set."""

from hamilton.plugins.pandas_extensions import PandasJsonReader, PandasJsonWriter


def test_the_kwargs_helpers_return_the_options_set_and_leave_out_defaults(tmp_path):
    assert PandasJsonWriter(filepath_or_buffer=tmp_path / "a.json", indent=2)._get_saving_kwargs() == {"indent": 2}
    assert PandasJsonReader(filepath_or_buffer=tmp_path / "a.json")._get_loading_kwargs() == {}
