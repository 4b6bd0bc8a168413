"""custseg.bench_daily's arms: a name and the environment variables its daily run gets."""

import argparse

import pytest

from custseg.bench_daily import parse_arm


def test_arm_with_and_without_variables():
    assert parse_arm("default") == ("default", {})
    assert parse_arm("large:SEGMENTATION_DUCKDB_CHECKPOINT_THRESHOLD=64GB,X=a=b") == (
        "large", {"SEGMENTATION_DUCKDB_CHECKPOINT_THRESHOLD": "64GB", "X": "a=b"})


@pytest.mark.parametrize("text", ["large:NOVALUE", ":A=1", "large:=1"])
def test_malformed_arms_are_refused(text):
    with pytest.raises(argparse.ArgumentTypeError):
        parse_arm(text)
