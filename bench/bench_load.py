#!/usr/bin/env python3
"""Prove custcare_loop under load and faults, on a prefork Odoo server.

The bench lives in the package ``bench/load/`` (``server``: database, Odoo
server, SMTP sink; ``seed``; ``clients``; ``scenarios``: the load run and the
fault run; ``checks``; ``report``); this is its command:

    python3 bench/bench_load.py [--customers 200] [--fault-customers 30000]

``--help`` lists the arguments; ``load/main.py`` says what a run does.
"""

import sys

from load.main import main

if __name__ == "__main__":
    sys.exit(main())
