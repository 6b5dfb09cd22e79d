"""The documentation stands alone: it cites the project's own contract (docs/contract.md), never a file
outside the repository, and every file path a document names exists."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.ops.support import ROOT

# Inline code that looks like a repository path: at least one directory part. (A bare file name is
# often a name in context, "test_fuzz.py in tests/reliability", and is not checked.)
_PATH = re.compile(r"^(?:\.{0,2}/)?(?:[\w.-]+/)+[\w.*-]*$")
# Not paths: API groups and annotation keys (`prometheus.io/scrape`, `keda.sh/v1alpha1`), CIDRs.
_NOT_PATH = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)*\.(io|sh|com|org|k8s\.io)/|^\d+(\.\d+){3}/\d+$")
_INLINE = re.compile(r"`([^`\n]+)`")
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def _tracked() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [ROOT / line for line in out.splitlines() if line and (ROOT / line).is_file()]


def _documents() -> list[Path]:
    return sorted(p for p in _tracked() if p.suffix == ".md")


def named_paths(text: str) -> set[str]:
    """Paths named in inline code or as relative link targets, outside fenced code blocks."""
    prose = _FENCE.sub("", text)
    found = set()
    for span in _INLINE.findall(prose):
        token = span.strip().split()[0].rstrip(".,;:)") if span.strip() else ""
        if (
            token
            and "://" not in token
            and not token.startswith("/")
            and _PATH.match(token)
            and not _NOT_PATH.match(token)
        ):
            found.add(token)
    for target in _LINK.findall(prose):
        if "://" not in target and not target.startswith(("#", "mailto:")):
            found.add(target.split("#", 1)[0])
    return {p for p in found if p}


def _generated(name: str) -> bool:
    """Whether git ignores `name`: an output directory a command creates (`.artefacts/desk/`,
    written by the browser tests), named by the docs before any run has made it."""
    ignored = subprocess.run(["git", "check-ignore", "-q", name], cwd=ROOT, check=False)
    return ignored.returncode == 0


def _exists(document: Path, name: str) -> bool:
    if _generated(name):
        return True
    for base in (document.parent, ROOT):
        candidate = base / name
        if "*" in name:
            if list(base.glob(name)):
                return True
        elif candidate.exists():
            return True
    return False


def test_the_path_finder_finds_paths() -> None:
    text = (
        "See `docs/contract.md`, `deploy/prometheus/rules/*.yml`, [x](../README.md) and `make test`, "
        "not `prometheus.io/scrape`, `127.0.0.1/32` nor `keda.sh/v1alpha1`.\n"
    )
    assert named_paths(text) == {"docs/contract.md", "deploy/prometheus/rules/*.yml", "../README.md"}


@pytest.mark.parametrize("document", _documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_path_a_document_names_exists(document: Path) -> None:
    missing = sorted(n for n in named_paths(document.read_text()) if not _exists(document, n))
    assert not missing, f"{document.relative_to(ROOT)} names files that do not exist: {missing}"
    outside = sorted(n for n in named_paths(document.read_text()) if n.startswith("../shared"))
    assert not outside, f"{document.relative_to(ROOT)} points outside the repository: {outside}"


# The upstream contract's file name, spelt so that this file does not contain it.
UPSTREAM_CONTRACT = b"CONTRACT" + b".md"


def test_only_the_projects_own_contract_is_cited() -> None:
    """No file outside docs/ cites the upstream contract file: schemas, AsyncAPI, code and deploy files cite
    docs/contract.md, which is in the repository."""
    citing = [
        str(p.relative_to(ROOT))
        for p in _tracked()
        if p.relative_to(ROOT).parts[0] != "docs" and UPSTREAM_CONTRACT in p.read_bytes()
    ]
    assert citing == []
    assert (ROOT / "docs" / "contract.md").is_file()
