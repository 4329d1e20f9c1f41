"""The load benches of custcare_loop, on prefork Odoo servers.

- ``server``: the database, an Odoo server (``odoo --workers``) as a child
  process, the SMTP sink its mail goes to;
- ``seed``: what a run starts from (customers, tickets and their questions,
  reps, competitors, customers under care);
- ``clients``: JSON-RPC sessions, the feedback pages, the recorder;
- ``scenarios``: the load run and the fault run;
- ``checks``: what must hold afterwards (SQL), the server log;
- ``report``: the tables;
- ``main``: ``bench/bench_load.py``.
"""
