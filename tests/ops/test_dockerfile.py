"""deploy/Dockerfile: multi-stage, slim, non-root, locked install, classifier baked in, a health check
that is valid Python. No Docker engine runs here, so these checks read the Dockerfile; the live test
runs its HEALTHCHECK command against a running service."""

from __future__ import annotations

import importlib
import json
import re

from tests.ops.support import DEPLOY, ROOT, dockerfile_instructions, healthcheck_command


def _stages() -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for keyword, args in dockerfile_instructions():
        if keyword == "FROM":
            stages.append([])
        if stages:
            stages[-1].append((keyword, args))
    return stages


def test_multi_stage_on_a_slim_base() -> None:
    stages = _stages()
    assert len(stages) >= 2
    args = dict(a.split("=", 1) for k, a in dockerfile_instructions() if k == "ARG" and "=" in a)
    assert "slim" in args["PYTHON_IMAGE"]
    assert all(stage[0][1].startswith("${PYTHON_IMAGE}") for stage in stages)


def test_installs_from_the_lock_file_then_the_project_without_dependencies() -> None:
    runs = " ".join(a for k, a in _stages()[0] if k == "RUN")
    assert "pip install --require-hashes -r /src/requirements.lock" in runs
    assert "pip install --no-deps /src" in runs
    assert (ROOT / _lock_file()).exists()


def _lock_file() -> str:
    """The lock file the build installs: the LOCK_FILE build argument's default."""
    args = dict(a.split("=", 1) for k, a in dockerfile_instructions() if k == "ARG" and "=" in a)
    return args["LOCK_FILE"]


def test_runtime_lock_pins_the_same_versions_as_the_full_lock() -> None:
    def pins(name: str) -> dict[str, str]:
        lines = (ROOT / name).read_text().splitlines()
        pinned = (line.split(" ")[0] for line in lines if "==" in line and not line.startswith(" "))
        return dict(pin.split("==") for pin in pinned)

    runtime, full = pins(_lock_file()), pins("requirements.lock")
    assert runtime, "empty runtime lock"
    assert {k: full.get(k) for k in runtime} == runtime, "run `make lock`: the two lock files disagree"
    assert "pytest" not in runtime and "mypy" not in runtime


def test_copied_sources_exist_and_pass_the_dockerignore() -> None:
    """Every path the build COPYs from the context exists and is not excluded by the .dockerignore."""
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text()
    allowed = {line[1:].rstrip("/") for line in ignore.splitlines() if line.startswith("!")}
    for keyword, args in dockerfile_instructions():
        if keyword != "COPY" or args.startswith("--from"):
            continue
        *sources, _dest = args.split()
        for source in sources:
            name = _lock_file() if source == "${LOCK_FILE}" else source
            assert (ROOT / name).exists(), name
            assert name in allowed, f"{name} is excluded by Dockerfile.dockerignore"


def test_classifier_pipeline_is_baked_at_build_time() -> None:
    """The build runs the classifier's constructor once; the module and class it names exist."""
    runs = " ".join(a for k, a in _stages()[0] if k == "RUN")
    match = re.search(r"from ([\w.]+) import (\w+); \2\(\)", runs)
    assert match, "no pipeline bake step"
    assert callable(getattr(importlib.import_module(match.group(1)), match.group(2)))


def test_final_stage_runs_as_non_root_with_a_health_check() -> None:
    final = _stages()[-1]
    users = [a for k, a in final if k == "USER"]
    assert users and not users[-1].startswith(("0", "root"))
    assert any(k == "COPY" and a.startswith("--from=build") for k, a in final)
    assert not any(k == "RUN" and "pip install" in a for k, a in final)
    cmd = json.loads(next(a for k, a in final if k == "CMD"))
    assert cmd[:2] == ["strikewatch", "run"]


def test_health_check_is_valid_python_hitting_healthz() -> None:
    """The slim image has no curl: the HEALTHCHECK is a python -c one-liner; it must at least compile."""
    exec_form = healthcheck_command()
    assert exec_form[:2] == ["python", "-c"]
    compile(exec_form[2], "<healthcheck>", "exec")
    assert "/healthz" in exec_form[2]
    assert "STRIKEWATCH_HTTP_PORT" in exec_form[2]
