"""The command-line arguments both load benches share: the workload they
seed and run (each bench gives its own defaults) and the run's plumbing."""

from pathlib import Path

WORKLOAD = {
    "customers": 200,
    "clients": 10,
    "care": 500,
    "emails": 150,
    "rep_posts": 100,
    "load_seconds": 180.0,
    "batch": 10000,
}


def add_workload_arguments(parser, db, **defaults):
    """The arguments of the workload and of the run, with ``defaults``
    (by dest name) overriding the single-server bench's."""
    d = {**WORKLOAD, **defaults}
    parser.add_argument("--db", default=db)
    parser.add_argument("--customers", type=int, default=d["customers"])
    parser.add_argument("--clients", type=int, default=d["clients"])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--competitors", type=int, default=20)
    parser.add_argument("--care", type=int, default=d["care"], help="care customers")
    parser.add_argument("--later-tickets", type=int, default=20)
    parser.add_argument("--promise-tickets", type=int, default=20)
    parser.add_argument(
        "--emails", type=int, default=d["emails"], help="customer emails"
    )
    parser.add_argument("--rep-posts", type=int, default=d["rep_posts"])
    parser.add_argument("--description-races", type=int, default=10)
    parser.add_argument("--twice", type=float, default=0.2, help="answer twice")
    parser.add_argument(
        "--race", type=float, default=0.1, help="answer from two sessions at once"
    )
    parser.add_argument("--cron-interval", type=float, default=2.0)
    parser.add_argument(
        "--load-seconds",
        type=float,
        default=d["load_seconds"],
        help="no new task after this",
    )
    parser.add_argument("--batch", type=int, default=d["batch"], help="scheduler batch")
    parser.add_argument(
        "--raw-gevent",
        action="store_true",
        help="do not give the servers metadata stubs for gevent's dependencies",
    )
    parser.add_argument("--admin-password", default="load-bench-admin")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the database")


def parse_checked(parser):
    args = parser.parse_args()
    if not args.db.startswith("load_"):
        parser.error("--db must start with load_")
    return args
