"""The sources file: validated once, a bad entry named with its field."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.producer.sources.config import Source, SourcesFileError, load_sources

GOOD = """
- id: outlet-a
  url: https://news.example.org/world/rss.xml
  outlet: Example News            # goes into Article.source
  language: en                    # optional hint; detection still runs
  poll_s: 120
  full_text: true                 # fetch each item's page and extract the article body
- id: outlet-b
  url: http://wire.example.net/atom
  outlet: Example Wire
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_readme_example_loads_with_defaults(tmp_path: Path) -> None:
    a, b = load_sources(_write(tmp_path, GOOD))
    assert a == Source(
        id="outlet-a",
        url="https://news.example.org/world/rss.xml",
        outlet="Example News",
        language="en",
        poll_s=120,
        full_text=True,
    )
    assert (b.poll_s, b.full_text, b.language, b.stale_after_s) == (120, False, None, 6 * 3600)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "{id: x, url: https://a.example/rss, outlet: A, poll_s: 0.5}",
            "entry 1 (id 'x'): poll_s: Input should be greater than or equal to 1",
        ),
        (
            "{id: x, url: ftp://a.example/rss, outlet: A}",
            "entry 1 (id 'x'): url: Value error, must be an http:// or https:// URL with a host",
        ),
        (
            "{id: x, url: https://a.example/rss, outlet: A, language: english}",
            "entry 1 (id 'x'): language: Value error, must be an ISO 639-1 code such as en, uk or ru",
        ),
        ("{id: x, url: https://a.example/rss}", "entry 1 (id 'x'): outlet: Field required"),
        ("{id: 'has space', url: https://a.example/rss, outlet: A}", "entry 1 (id 'has space'): id: String"),
        (
            "{id: x, url: https://a.example/rss, outlet: A, fulltext: true}",
            "entry 1 (id 'x'): fulltext: Extra inputs are not permitted",
        ),
        (
            "{id: x, url: 'https://u:p@a.example/rss', outlet: A}",
            "url: Value error, must not carry credentials",
        ),
        (
            "{id: x, url: https://a.example/rss, outlet: A, poll_s: 600, stale_after_s: 300}",
            "stale_after_s must be longer than poll_s",
        ),
        ("just a string", "entry 1: expected a mapping, got str"),
    ],
)
def test_a_bad_entry_is_named_with_its_field(tmp_path: Path, entry: str, message: str) -> None:
    with pytest.raises(SourcesFileError) as caught:
        load_sources(_write(tmp_path, f"- {entry}\n"))
    assert str(caught.value).startswith(f"invalid sources file {tmp_path / 'sources.yaml'}: ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_second_bad_entry_is_named_by_position(tmp_path: Path) -> None:
    text = GOOD + "- {id: outlet-c, url: https://c.example/rss, outlet: C, poll_s: -1}\n"
    with pytest.raises(SourcesFileError, match=r"entry 3 \(id 'outlet-c'\): poll_s"):
        load_sources(_write(tmp_path, text))


def test_repeated_ids_and_urls_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SourcesFileError, match=r"repeated id \['a'\]"):
        load_sources(
            _write(
                tmp_path,
                "- {id: a, url: https://x.example/1, outlet: X}\n"
                "- {id: a, url: https://x.example/2, outlet: X}\n",
            )
        )
    with pytest.raises(SourcesFileError, match=r"repeated url"):
        load_sources(
            _write(
                tmp_path,
                "- {id: a, url: https://x.example/1, outlet: X}\n"
                "- {id: b, url: https://x.example/1, outlet: X}\n",
            )
        )


def test_unreadable_and_non_yaml_files_say_so(tmp_path: Path) -> None:
    with pytest.raises(SourcesFileError, match=r"cannot read sources file .*: No such file or directory"):
        load_sources(tmp_path / "missing.yaml")
    with pytest.raises(SourcesFileError, match="not YAML at line 2"):
        load_sources(_write(tmp_path, "- id: a\n\tpoll_s: 1\n"))
    with pytest.raises(SourcesFileError, match="expected a YAML list of sources, got dict"):
        load_sources(_write(tmp_path, "id: a\n"))


def test_an_empty_file_means_no_sources(tmp_path: Path) -> None:
    assert load_sources(_write(tmp_path, "# nothing yet\n")) == ()
