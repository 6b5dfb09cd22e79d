"""Canonical URLs: one spelling per page, whatever tracking parameters or case a feed adds."""

from __future__ import annotations

import pytest

from services.producer.sources.urls import canonical_url, url_key


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        (
            "HTTPS://News.Example.org:443/World/Story?b=2&utm_source=rss&a=1#comments",
            "https://news.example.org/World/Story?a=1&b=2",
        ),
        ("http://news.example.org:80", "http://news.example.org/"),
        (
            "http://news.example.org:8080/a?fbclid=x&gclid=y&utm_medium=z&UTM_Campaign=w",
            "http://news.example.org:8080/a",
        ),
        ("https://user:pw@news.example.org/a?id=7&mc_cid=1&mc_eid=2", "https://news.example.org/a?id=7"),
        ("https://news.example.org/a?page=&q=kyiv%20news", "https://news.example.org/a?page=&q=kyiv+news"),
        ("http://[::1]:8080/x#y", "http://[::1]:8080/x"),
        ("  https://news.example.org./a  ", "https://news.example.org/a"),
    ],
)
def test_canonical_url(given: str, canonical: str) -> None:
    """Scheme and host lower-cased, default ports, credentials, fragments and tracking parameters
    dropped, the query sorted; the path's case kept."""
    assert canonical_url(given) == canonical


def test_not_a_url_comes_back_unchanged() -> None:
    assert canonical_url(" tag:example.org,2025:42 ") == "tag:example.org,2025:42"


def test_tracking_variants_share_one_key_and_other_pages_do_not() -> None:
    """The seen-marker key ignores tracking and order; a different page or query value differs."""
    a = url_key("https://news.example.org/story?id=1&utm_source=feed")
    assert a == url_key("https://NEWS.example.org/story?utm_campaign=x&id=1#top")
    assert a != url_key("https://news.example.org/story?id=2")
    assert a != url_key("https://news.example.org/Story?id=1")
    assert a.startswith("u:") and len(a) == 34
