#!/usr/bin/env python3
"""Two Odoo servers on one PostgreSQL primary and its streaming replica, one
SIGKILLed mid-load; and the primary's transactions per 1,000 public page
views with and without the replica (issue 22).

    python3 bench/bench_servers.py [--rounds 2] [--load-seconds 60]

``--help`` lists the arguments; ``load/main_servers.py`` says what a run
does, ``load/cluster.py`` and ``load/replica.py`` how.
"""

import sys

from load.main_servers import main

if __name__ == "__main__":
    sys.exit(main())
