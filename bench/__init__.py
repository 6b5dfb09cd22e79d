"""Benchmarks and soak runs (`make bench`, `make soak`); not part of `make test`."""
