"""`pip install -e .` reads pyproject.toml without deprecation warnings: the licence is an SPDX
expression (PEP 639), not the deprecated `{ text = ... }` table."""

from __future__ import annotations

import tomllib
import warnings
from pathlib import Path

from setuptools.config.pyprojecttoml import apply_configuration
from setuptools.dist import Distribution

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_license_is_an_spdx_expression_setuptools_applies_without_warning() -> None:
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    # setuptools reads a license string as an SPDX expression from version 77 on.
    assert "setuptools>=77" in data["build-system"]["requires"]
    # What a build does with the file (where the table form warned "`project.license` as a TOML
    # table is deprecated").
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dist = apply_configuration(Distribution(), PYPROJECT)
    assert [str(w.message) for w in caught] == []
    assert dist.metadata.license_expression == "Apache-2.0"
