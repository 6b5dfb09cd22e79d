"""STRIKEWATCH_WEBHOOKS_FILE is checked as strictly as the API: a bad entry stops start-up with the
file and the entry named, never echoing a secret or URL credential."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
import yaml

from services.alerter.webhooks.subscriptions import load_file

GOOD = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def write(tmp_path: Path, *entries: dict[str, object]) -> Path:
    path = tmp_path / "hooks.yaml"
    path.write_text(yaml.safe_dump(list(entries)))
    return path


def test_a_good_file_loads_with_regions_as_slugs(tmp_path: Path) -> None:
    path = write(
        tmp_path, {"id": "desk", "url": "https://example.org/h", "secret": GOOD, "regions": ["Kyiv City"]}
    )
    (desk,) = load_file(path)
    assert desk.regions == ["kyiv-city"] and desk.format == "standard"


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        (
            {"secret": "whsec_AA=="},
            "entry 2 (id 'weak'): secret: secret refused: its key is 1 byte(s)",
        ),
        ({"secret": None}, "entry 2 (id 'weak'): secret: required in the webhooks file"),
        ({"regions": ["Donetsk"]}, "entry 2 (id 'weak'): regions: unknown region 'Donetsk'"),
        (
            {"url": "http://10.1.2.3/h"},
            "entry 2 (id 'weak'): url http://10.1.2.3/h: 10.1.2.3 is a private address",
        ),
        (
            {"url": "http://[2002::1]/h"},
            "entry 2 (id 'weak'): url http://[2002::1]/h: 2002::1 is a 6to4 address",
        ),
    ],
)
def test_a_bad_entry_stops_start_up_naming_file_and_entry(
    tmp_path: Path, entry: dict[str, object], says: str
) -> None:
    base = {"id": "weak", "url": "https://example.org/h", "secret": GOOD}
    path = write(tmp_path, {"id": "fine", "url": "https://example.org/a", "secret": GOOD}, {**base, **entry})
    with pytest.raises(ValueError) as caught:
        load_file(path)
    message = str(caught.value)
    assert message.startswith(f"invalid webhooks file {path}: ")
    assert says in message
    assert "whsec_AA==" not in message


def test_credentials_in_a_refused_url_are_not_echoed(tmp_path: Path) -> None:
    path = write(
        tmp_path, {"id": "x", "url": "http://admin:hunter2@192.168.1.1/h?token=s3cr3t", "secret": GOOD}
    )
    with pytest.raises(ValueError) as caught:
        load_file(path)
    assert "hunter2" not in str(caught.value) and "s3cr3t" not in str(caught.value)
    assert "http://***@192.168.1.1/h?token=***" in str(caught.value)


def test_an_allow_listed_literal_address_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, {"id": "local", "url": "http://127.0.0.1:8080/h", "secret": GOOD})
    (local,) = load_file(path, allowlist=[ipaddress.ip_network("127.0.0.1/32")])
    assert local.id == "local"


def test_a_file_that_is_not_a_list_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "hooks.yaml"
    path.write_text("id: desk\n")
    with pytest.raises(ValueError, match="must be a YAML list"):
        load_file(path)
