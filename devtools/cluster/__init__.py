"""`make cluster-test`: the multi-machine shape of reviewgate (issue 20) started on one
machine and proved with faults. See docs/cluster-test.md; the entry point is run.py."""
