"""``python -m tests.bench``: the benchmark suite (see docs/benchmarks.md)."""

import sys

from tests.bench.suite import main

if __name__ == "__main__":
    sys.exit(main())
