"""`pip install -e .` reads pyproject.toml without deprecation warnings: the licence is an SPDX
expression (PEP 639), not the deprecated `{ text = ... }` table."""

from __future__ import annotations

import tomllib
import warnings
from pathlib import Path

from setuptools.config.pyprojecttoml import read_configuration

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_license_is_an_spdx_expression_setuptools_reads_without_warning() -> None:
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    assert data["project"]["license"] == "Apache-2.0"
    # setuptools reads a license string as an SPDX expression from version 77 on.
    assert "setuptools>=77" in data["build-system"]["requires"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        config = read_configuration(PYPROJECT)
    assert config["project"]["license"] == "Apache-2.0"
    about_license = [str(w.message) for w in caught if "licen" in str(w.message).lower()]
    assert about_license == []
