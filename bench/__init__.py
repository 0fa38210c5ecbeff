"""make bench: the benches (docs/performance*.md); bench.web is the web side (issue 19)."""
