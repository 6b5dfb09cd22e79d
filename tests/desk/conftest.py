"""The browser the desk tests drive: Debian's chromium. Missing, the tests skip on a laptop and fail
under CI (CI=true), where .ci/run installs it."""

from __future__ import annotations

import os

import pytest

from .harness import chromium_path


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        message = "chromium is not installed (apt-get install chromium); the duty-desk browser tests need it"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
