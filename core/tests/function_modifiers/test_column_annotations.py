"""Legacy ``htypes.column[...]`` annotations, checked against the registered column types."""

import pytest


def test_legacy_column_annotations_are_validated_against_registered_column_types():
    from hamilton import htypes

    from .table_backend import Column

    assert htypes.validate_type_annotation(int)
    assert htypes.validate_type_annotation(htypes.column[Column, int])
    with pytest.raises(htypes.InvalidTypeException, match="annotated types of series or equivalent"):
        htypes.validate_type_annotation(htypes.column[list, int])
    with pytest.raises(htypes.InvalidTypeException, match="one annotation"):
        htypes.validate_type_annotation(htypes.column[Column, int, float])
    with pytest.raises(htypes.InvalidTypeException, match="one annotation"):
        htypes.validate_type_annotation(htypes.column[Column, list])
