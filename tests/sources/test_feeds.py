"""Feeds to items and items to articles: RSS 0.91/1.0/2.0 and Atom, broken feeds read as far as they
go, page text extracted without the page's furniture. Pure: no network, no Redis."""

from __future__ import annotations

from datetime import UTC, datetime

from services.common.articles import article_id
from services.producer.sources.config import Source
from services.producer.sources.extract import main_text
from services.producer.sources.feeds import FeedItem, html_text, item_key, parse_feed
from services.producer.sources.to_article import article_from_item, bounded, choose_text
from tests.sources.sites import Feed, Site, news_page
from tests.sources.stories import attack_story, calm_story

SOURCE = Source(id="outlet-a", url="https://news.example.org/rss.xml", outlet="Example News", language="en")

RSS_091 = b"""<?xml version="1.0"?>
<rss version="0.91"><channel><title>Old Wire</title><link>http://old.example/</link>
<description>x</description><language>en</language>
<item><title>Bridge reopens after repairs</title><link>http://old.example/bridge</link>
<description>The road bridge reopened on Friday.</description></item>
</channel></rss>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://rdf.example/"><title>RDF News</title><link>http://rdf.example/</link>
    <description>x</description></channel>
  <item rdf:about="http://rdf.example/a"><title>Ferry service resumes</title>
    <link>http://rdf.example/a</link><description>Ferries run again from Monday.</description>
    <dc:date>2025-06-10T09:30:00+03:00</dc:date></item>
</rdf:RDF>"""

# An undefined entity, an unclosed element and a truncated last item: the first two items are good.
MALFORMED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Broken News</title><link>http://broken.example/</link>
<item><title>Market hall restored</title><link>/news/market-hall?utm_source=rss</link>
<description>The old market hall reopened &amp; traders returned.</description>
<pubDate>Tue, 10 Jun 2025 10:00:00 +0300</pubDate></item>
<item><title>Tram line &nbsp; extended</title><link>http://broken.example/news/tram</link>
<description>Two new stops <b>opened</b></description></item>
<item><title>Unfinished
"""


def test_rss_2_items_carry_link_title_summary_and_utc_time() -> None:
    """feedgen's RSS 2.0: every item, newest first, times in UTC."""
    with Site() as site:
        feed = Feed(site)
        feed.add(calm_story(1, hours_ago=2))
        feed.add(calm_story(2, hours_ago=1))
        parsed = parse_feed(feed.body, url=feed.url)
    assert parsed.malformed is None
    newest, older = parsed.items
    assert newest.title == "New footbridge opens (2)"
    assert newest.link == site.url("/news/story-2")
    assert newest.text.startswith("A new footbridge over the river")
    assert newest.published is not None and newest.published.tzinfo == UTC
    assert older.published is not None and older.published < newest.published


def test_atom_items_read_like_rss_ones() -> None:
    with Site() as site:
        feed = Feed(site, path="/atom.xml", kind="atom")
        feed.add(calm_story(3))
        (item,) = parse_feed(feed.body, url=feed.url).items
    assert (item.title, item.link) == ("Council approves library budget (3)", site.url("/news/story-3"))
    assert item.text.startswith("The city council approved")


def test_rss_0_91_and_rdf_feeds_are_read() -> None:
    (old,) = parse_feed(RSS_091, url="http://old.example/rss").items
    assert (old.title, old.link, old.text, old.published) == (
        "Bridge reopens after repairs",
        "http://old.example/bridge",
        "The road bridge reopened on Friday.",
        None,
    )
    (rdf,) = parse_feed(RDF, url="http://rdf.example/rss").items
    assert rdf.title == "Ferry service resumes"
    assert rdf.published == datetime(2025, 6, 10, 6, 30, tzinfo=UTC)  # +03:00 normalised to UTC


def test_a_broken_feed_keeps_its_good_items_and_says_what_is_wrong() -> None:
    parsed = parse_feed(MALFORMED, url="http://broken.example/rss.xml")
    assert parsed.malformed is not None and "entity" in parsed.malformed
    first, second = parsed.items[:2]
    # A relative link is resolved against the feed's URL.
    assert first.link == "http://broken.example/news/market-hall?utm_source=rss"
    assert first.text == "The old market hall reopened & traders returned."
    assert first.published == datetime(2025, 6, 10, 7, 0, tzinfo=UTC)
    assert second.link == "http://broken.example/news/tram"


def test_a_page_that_is_no_feed_gives_no_items() -> None:
    parsed = parse_feed(b"<html><body><p>Not here</p></body></html>", url="http://x.example/")
    assert parsed.items == () and parsed.malformed


def test_html_text_keeps_paragraphs_and_decodes_entities() -> None:
    assert html_text("<p>One &amp; two</p><p>Three<br>four</p>  five") == "One & two\n\nThree\nfour\n\nfive"
    assert html_text("plain &quot;text&quot;") == 'plain "text"'
    assert html_text("<p></p>") == ""


def test_item_keys_follow_the_page_then_the_guid() -> None:
    """Two feeds listing one page (with different tracking) share a key; a guid-only item is keyed
    within its feed."""
    a = FeedItem("https://n.example/a?utm_source=x", None, "T", "", None)
    b = FeedItem("https://N.example/a#top", "other-guid", "T2", "s", None)
    assert item_key(a, "https://n.example/rss") == item_key(b, "https://other.example/feed")
    c = FeedItem(None, "tag:n.example,2025:1", "T", "", None)
    assert item_key(c, "https://n.example/rss") != item_key(c, "https://other.example/rss")
    d = FeedItem(None, "https://n.example/a", "T", "", None)
    assert item_key(d, "https://n.example/rss") == item_key(a, "https://n.example/rss")


def test_the_page_text_is_the_article_without_navigation_adverts_or_comments() -> None:
    """trafilatura on a page with the structure of a real news site keeps the story only."""
    story = attack_story()
    text = main_text(news_page(story), "https://n.example/news/x", max_input_bytes=2_000_000)
    assert text is not None
    for paragraph in story.paragraphs:
        assert paragraph in text
    for furniture in (
        "Advertisement",
        "Cheap flights",
        "Related stories",
        "Stay safe",
        "Sponsored",
        "All rights reserved",
        "Business",
        "Search",
    ):
        assert furniture not in text


def test_the_page_text_is_preferred_and_the_summary_is_the_fallback() -> None:
    item = FeedItem("https://n.example/a", None, "Strike on a depot", "Officials reported damage.", None)
    page = "A long article body. " * 20
    assert choose_text(item, page) == (page, "page")
    assert choose_text(item, None) == ("Strike on a depot\n\nOfficials reported damage.", "summary")
    assert choose_text(item, "Subscribe to read") == (
        "Strike on a depot\n\nOfficials reported damage.",
        "summary",
    )
    assert choose_text(FeedItem(None, None, None, "", None), None) == ("", "summary")


def test_an_item_becomes_an_article_with_the_content_hash_id() -> None:
    published = datetime(2025, 6, 10, 7, 0, tzinfo=UTC)
    item = FeedItem("https://N.example/a?utm_medium=rss&id=3", None, "Title", "Body", published)
    article = article_from_item(item, SOURCE, "Body text", first_seen=datetime.now(UTC), max_bytes=1000)
    assert article.id == article_id("Body text")
    assert (article.url, article.title, article.source, article.published) == (
        "https://n.example/a?id=3",
        "Title",
        "Example News",
        published,
    )
    undated = FeedItem(None, None, "T", "B", None)
    seen = datetime(2025, 6, 11, tzinfo=UTC)
    assert article_from_item(undated, SOURCE, "B", first_seen=seen, max_bytes=1000).published == seen


def test_article_text_is_bounded_at_a_break() -> None:
    text = "First paragraph here.\n\n" + "word " * 400
    cut = bounded(text, 200)
    assert len(cut.encode()) <= 200 and cut.endswith("word") and bounded("short", 200) == "short"
    assert len(bounded("é" * 300, 101).encode()) <= 101
