"""Live sources: news feeds (and their items' pages) polled by the producer and published as
articles once each (docs/contract.md section 9)."""
