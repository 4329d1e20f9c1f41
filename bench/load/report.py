"""Tables: latencies, server-side times, invariants, the summary."""

import re
import statistics
from collections import Counter, defaultdict

WERKZEUG = re.compile(
    r'"(GET|POST|HEAD) (\S+) HTTP/[\d.]+" (\d+) - (\d+) ([\d.]+) ([\d.]+)'
)


ROUTES = [
    ("/submit", "feedback submit (POST)"),
    ("/custcare/feedback/", "feedback page (GET)"),
    ("/web/session/authenticate", "login"),
    ("helpdesk.ticket.message_post", "message_post (reps and customer emails)"),
    ("helpdesk.ticket.write", "ticket description write (RPC)"),
    ("ir.cron.method_direct_trigger", "cron run (RPC direct, whole job)"),
    ("action_custcare_schedule_contacts", "scheduler button (RPC)"),
]


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def latency_table(recorder, seconds):
    lines = [
        (
            "| request | count | req/s | p50 ms | p95 ms | max ms | HTTP 5xx "
            "| other non-200 |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total_5xx = 0
    for kind in sorted(recorder.latencies):
        values = recorder.latencies[kind]
        statuses = recorder.statuses[kind]
        errors_5xx = sum(
            n for s, n in statuses.items() if isinstance(s, int) and s >= 500
        )
        other = sum(n for s, n in statuses.items() if s != 200) - errors_5xx
        total_5xx += errors_5xx
        lines.append(
            f"| {kind} | {len(values)} | {len(values) / seconds:.1f} | "
            f"{statistics.median(values):.0f} | {percentile(values, 0.95):.0f} | "
            f"{max(values):.0f} | {errors_5xx} | {other} |"
        )
    return lines, total_5xx


def table(title, mapping):
    lines = [f"| {title} | value |", "|---|---:|"]
    lines += [f"| {key} | {value} |" for key, value in mapping.items()]
    return lines


def print_lines(lines):
    print("\n".join(lines), flush=True)


def server_times(logfile, offset, end_offset):
    """Per route, from Odoo's werkzeug lines (queries, query time, other
    time): how long the server itself spent, without the queueing."""
    times = defaultdict(list)
    queries = defaultdict(list)
    with open(logfile, errors="replace") as log:
        log.seek(offset)
        text = log.read(max(end_offset - offset, 0))
    for match in WERKZEUG.finditer(text):
        path = match.group(2)
        label = next((lbl for key, lbl in ROUTES if key in path), None)
        if label:
            times[label].append((float(match.group(5)) + float(match.group(6))) * 1000)
            queries[label].append(int(match.group(4)))
    lines = [
        "| route (server side) | count | p50 ms | p95 ms | median queries |",
        "|---|---:|---:|---:|---:|",
    ]
    for label in sorted(times):
        values = times[label]
        lines.append(
            f"| {label} | {len(values)} | {statistics.median(values):.0f} | "
            f"{percentile(values, 0.95):.0f} | "
            f"{statistics.median(queries[label]):.0f} |"
        )
    return lines


def report_outcomes(run, recorder):
    """What a load run's feedback submissions, cron triggers and RPC calls
    came to (both load benches)."""
    outcomes = Counter(s[3] for s in run.submissions)
    print(
        "\nFeedback submissions by outcome: "
        + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
    )
    cron_lines = ["", "| cron trigger | outcomes |", "|---|---|"]
    for label, counts in sorted(run.cron_results.items()):
        summary = ", ".join(
            f"{k} {v:.0f}" if k != "seconds" else f"{v:.1f} s in total"
            for k, v in counts.items()
        )
        cron_lines.append(f"| {label} | {summary} |")
    print_lines(cron_lines)
    rpc_lines = ["", "| RPC errors | count |", "|---|---:|"]
    for kind, errors in recorder.rpc_errors.items():
        rpc_lines += [f"| {kind}: {e} | {n} |" for e, n in errors.items()]
    print_lines(rpc_lines)


def report_load(load, sink):
    run = load["run"]
    lines, total_5xx = latency_table(load["recorder"], load["seconds"])
    print(f"\n### Load run ({load['seconds']:.0f} s)\n", flush=True)
    print_lines(lines)
    print()
    print_lines(load["server_side"])
    report_outcomes(run, load["recorder"])
    print()
    print_lines(table("feedback invariant", dict(load["feedback"])))
    print()
    print_lines(table("scheduler invariant (after the load)", load["scheduler"]))
    print()
    print_lines(table("competitor mentions", load["mentions"]))
    print()
    print_lines(table("notices", load["notices"]))
    print()
    print_lines(table("mails Odoo failed to send", load["failed_mails"] or {"none": 0}))
    print(f"\nmails accepted by the SMTP sink: {sink.mails}")
    print(
        f"HTTP 5xx: {total_5xx}; client tasks that raised: {load['failed_tasks']}; "
        f"tasks skipped (--load-seconds reached): {run.skipped}"
    )
    for problem in load["problems"][:20]:
        print(f"  feedback problem: {problem}")
    for (kind, message), example in load["recorder"].examples.items():
        tail = "\n".join(example.splitlines()[-12:])
        print(f"\n  first {kind} error {message!r}, ends:\n{tail}", flush=True)


def report_fault(fault):
    print("\n### Fault run\n")
    print_lines(table("fault run", fault.facts))
    print()
    timing = {k: f"{v:.1f}" for k, v in fault.timings.items()}
    print_lines(table("fault run timing (s)", timing))
    print()
    print_lines(table("scheduler invariant (after the fault run)", fault.checks))


def findings_of(load, fault_checks, problems):
    """What a reader must look at: broken invariants, errors, failed saves."""
    found = []
    _lines, total_5xx = latency_table(load["recorder"], load["seconds"])
    if total_5xx:
        found.append(f"{total_5xx} HTTP 5xx answers")
    if load["failed_tasks"]:
        found.append(f"{load['failed_tasks']} client tasks raised")
    if load["run"].skipped:
        found.append(f"{load['run'].skipped} load tasks skipped (--load-seconds)")
    found += [f"feedback: {p}" for p in load["problems"]]
    for phase, checks in (("load", load["scheduler"]), ("fault", fault_checks)):
        if not checks:
            continue
        for key in (
            "... missing one",
            "partners with more than one",
            "not due or no salesperson, yet planned",
        ):
            if checks[key]:
                found.append(f"scheduler after the {phase} run: {key} = {checks[key]}")
    mentions = load["mentions"]
    if mentions["duplicate mentions"]:
        found.append(f"{mentions['duplicate mentions']} duplicate mentions")
    exact = "... whose mentions are exactly the competitors named"
    if mentions[exact] != mentions["customer emails posted"]:
        found.append(
            f"mentions: {mentions[exact]} of {mentions['customer emails posted']} "
            "customer emails have exactly the mentions named"
        )
    if mentions["mentions from reps' own messages (expected 0)"]:
        found.append("mentions were made from reps' own messages")
    if mentions.get("... where a save failed"):
        found.append(
            f"description races: {mentions['... where a save failed']} of "
            f"{mentions['description races']} concurrent saves failed"
        )
    for kind, errors in load["recorder"].rpc_errors.items():
        for error, count in errors.items():
            if "already executing" not in error:
                found.append(f"RPC error x{count} on {kind}: {error}")
    for label, counts in load["run"].cron_results.items():
        found += [f"cron {label}: {k} x{n}" for k, n in counts.items() if "fail" in k]
    found += [f"mail not sent x{n}: {k}" for k, n in load["failed_mails"].items()]
    found += [f"log x{n}: {k}" for k, n in problems.items()]
    return found


def summary(load, fault, problems):
    """One table for the README."""
    recorder = load["recorder"]
    _lines, total_5xx = latency_table(recorder, load["seconds"])
    requests_count = sum(len(v) for v in recorder.latencies.values())

    def lat(kind):
        values = recorder.latencies.get(kind) or [0]
        return (
            f"p50 {statistics.median(values):.0f} ms, "
            f"p95 {percentile(values, 0.95):.0f} ms"
        )

    feedback = load["feedback"]
    scheduler = load["scheduler"]
    mentions = load["mentions"]
    rows = {
        "load: requests, time, HTTP 5xx": (
            f"{requests_count} in {load['seconds']:.0f} s "
            f"({requests_count / load['seconds']:.1f} req/s), 5xx: {total_5xx}"
        ),
        "machine load average (1 min), before → after the load": (
            "{:.1f} → {:.1f} (2 cores, shared)".format(*load["loadavg"])
        ),
        "feedback page GET / submit POST": (
            f"{lat('feedback page (GET)')} / {lat('feedback submit (POST)')}"
        ),
        "rep message_post / customer email (RPC)": (
            f"{lat('rep message_post (RPC)')} / {lat('customer email (RPC as admin)')}"
        ),
        "a token answers once": (
            f"{feedback['consumed ratings']} consumed of "
            f"{feedback['customers that submitted']} customers who submitted "
            f"({feedback['submissions']} submissions, "
            f"{feedback['refused as already answered']} refused as already "
            f"answered); one answer note on "
            f"{feedback['tickets with exactly one answer note']} tickets; "
            f"{len(load['problems'])} problems"
        ),
        "proactive contacts after the load": (
            f"{scheduler['... with one open proactive contact']} of "
            f"{scheduler['due/overdue with a salesperson']} due partners planned, "
            f"{scheduler['partners with more than one']} with more than one"
        ),
        "competitor mentions": (
            f"{mentions['mentions found']} of {mentions['expected mentions']} "
            f"expected from {mentions['customer emails posted']} customer emails, "
            f"{mentions['duplicate mentions']} duplicates; concurrent description "
            f"saves failed: {mentions.get('... where a save failed', 0)} of "
            f"{mentions.get('description races', 0)}"
        ),
    }
    if fault:
        checks = fault.checks
        rows["fault: cron worker SIGKILLed mid-batch"] = (
            f"after {fault.facts.get('activities committed when killed', '?')} "
            f"activities committed; new cron worker in "
            f"{fault.timings.get('kill → new cron worker', 0):.1f} s; rerun done in "
            f"{fault.timings.get('rerun → scheduler done', 0):.1f} s"
        )
        rows["fault: proactive contacts after the rerun"] = (
            f"{checks['... with one open proactive contact']} of "
            f"{checks['due/overdue with a salesperson']} due partners planned, "
            f"{checks['... missing one']} missing, "
            f"{checks['partners with more than one']} with more than one"
        )
    rows["server log: ERROR / CRITICAL / tracebacks"] = sum(problems.values())
    return table("bench_load", rows)
