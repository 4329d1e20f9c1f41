"""What must hold after a run: SQL checks on the database, the server log."""

import re
from collections import Counter, defaultdict

from .common import ANSWER_NOTE, ANSWER_OUTCOMES, ANSWERS

LOG_LINE = re.compile(r"^\S+ \S+ (\d+) (\w+) (\S+) (\S+): (.*)$")


def check_feedback(cr, plan, submissions, lost_ok=False):
    """Every rating answered exactly once, by the first accepted answer.
    ``lost_ok``: an answer whose response was lost (its server was killed)
    may be the one recorded; the customer's resend then sees it answered."""
    items = {item["token"]: item for item in plan["feedback"]}
    outcomes = defaultdict(list)
    for token, answer, comment, outcome in submissions:
        outcomes[token].append((answer, comment, outcome))
    cr.execute(
        "SELECT access_token, consumed, rating, feedback FROM rating_rating "
        "WHERE id IN %s",
        [tuple(item["rating"] for item in items.values())],
    )
    ratings = {row[0]: row[1:] for row in cr.fetchall()}
    cr.execute(
        "SELECT res_id, count(*) FROM mail_message WHERE model = 'helpdesk.ticket'"
        " AND res_id IN %s AND body LIKE %s GROUP BY res_id",
        [tuple(item["ticket"] for item in items.values()), f"%{ANSWER_NOTE}%"],
    )
    notes = dict(cr.fetchall())
    cr.execute(
        "SELECT t.id, s.closed FROM helpdesk_ticket t "
        "JOIN helpdesk_ticket_stage s ON s.id = t.stage_id WHERE t.id IN %s",
        [tuple(item["ticket"] for item in items.values())],
    )
    closed = dict(cr.fetchall())
    result = Counter()
    result["questions (resolved tickets)"] = len(ratings)
    result["consumed ratings"] = sum(bool(row[0]) for row in ratings.values())
    result["answer notes on these tickets"] = sum(notes.values())
    result["ratings differing from the accepted answer"] = 0
    result["'bad' answers whose ticket did not reopen"] = 0
    problems = []
    for token, tries in outcomes.items():
        if any(o[2] in ANSWER_OUTCOMES for o in tries):
            result["customers that submitted"] += 1
        thanks = [o for o in tries if o[2] == "thanks"]
        consumed, value, feedback = ratings[token]
        ticket = items[token]["ticket"]
        if not consumed:
            problems.append(
                f"ticket {ticket}: answered, yet its rating is not consumed"
            )
        result["submissions"] += len(tries)
        result["refused as already answered"] += sum(o[2] == "answered" for o in tries)
        lost = [o for o in tries if o[2] == "no response"]
        if lost_ok and not thanks and consumed:
            # recorded by a lost request: the rating is one of those answers
            thanks = [o for o in lost if (ANSWERS[o[0]], o[1]) == (value, feedback)]
            result["answers recorded by a request whose response was lost"] += 1
        if len(thanks) != 1:
            problems.append(f"token {token[:8]}…: {len(thanks)} accepted answers")
            continue
        answer, comment, _outcome = thanks[0]
        if (value, feedback) != (ANSWERS[answer], comment):
            result["ratings differing from the accepted answer"] += 1
            problems.append(
                f"ticket {ticket}: rating {value} {feedback!r}, first answer "
                f"{answer} {comment!r}"
            )
        if notes.get(ticket, 0) != 1:
            problems.append(f"ticket {ticket}: {notes.get(ticket, 0)} answer notes")
        if (answer == "bad") == closed[ticket]:
            result["'bad' answers whose ticket did not reopen"] += answer == "bad"
            problems.append(
                f"ticket {ticket}: answer {answer}, closed {closed[ticket]}"
            )
        result["tickets with exactly one answer note"] += notes.get(ticket) == 1
    result["other outcomes"] = sum(
        o[2] not in ANSWER_OUTCOMES for tries in outcomes.values() for o in tries
    )
    return result, problems


def open_activity_condition(cr):
    cr.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = "
        "'mail_activity' AND column_name = 'active'"
    )
    return "AND a.active" if cr.fetchone() else ""


def check_scheduler(cr, activity_type):
    """At most one open proactive contact per partner; one for every due or
    overdue partner someone can be assigned to; none for the others."""
    active = open_activity_condition(cr)
    cr.execute(
        f"""SELECT count(*) FROM (
              SELECT a.res_id FROM mail_activity a
               WHERE a.res_model = 'res.partner' AND a.activity_type_id = %s {active}
            GROUP BY a.res_id HAVING count(*) > 1) d""",
        [activity_type],
    )
    duplicates = cr.fetchone()[0]
    cr.execute(
        f"""SELECT
              (p.user_id IS NOT NULL OR c.user_id IS NOT NULL) AS assignable,
              p.custcare_contact_state IN ('due', 'overdue') AS due,
              EXISTS (SELECT 1 FROM mail_activity a
                       WHERE a.res_model = 'res.partner' AND a.res_id = p.id
                         AND a.activity_type_id = %s {active}) AS planned,
              count(*)
            FROM res_partner p JOIN res_partner c ON c.id = p.commercial_partner_id
           WHERE p.custcare_under_care AND p.active
        GROUP BY 1, 2, 3""",
        [activity_type],
    )
    groups = {(a, d, p): n for a, d, p, n in cr.fetchall()}
    return {
        "partners under care": sum(groups.values()),
        "due/overdue with a salesperson": groups.get((True, True, True), 0)
        + groups.get((True, True, False), 0),
        "... with one open proactive contact": groups.get((True, True, True), 0),
        "... missing one": groups.get((True, True, False), 0),
        "partners with more than one": duplicates,
        "not due or no salesperson, yet planned": sum(
            n for (a, d, p), n in groups.items() if p and not (a and d)
        ),
    }


def check_mentions(cr, run):
    cr.execute(
        """SELECT count(*) FROM (
              SELECT 1 FROM custcare_competitor_mention
            GROUP BY competitor_id, res_model, res_id, source_key
              HAVING count(*) > 1) d"""
    )
    result = {"duplicate mentions": cr.fetchone()[0]}
    keys = {
        f"message:{mid}": (ticket, comps) for mid, ticket, comps in run.customer_emails
    }
    found = defaultdict(set)
    if keys:
        cr.execute(
            "SELECT source_key, res_id, competitor_id, spontaneous "
            "FROM custcare_competitor_mention WHERE res_model = 'helpdesk.ticket' "
            "AND source_key IN %s",
            [tuple(keys)],
        )
        for key, res_id, competitor_id, spontaneous in cr.fetchall():
            if res_id == keys[key][0] and spontaneous:
                found[key].add(competitor_id)
    naming = {k: v for k, v in keys.items() if v[1]}
    result["customer emails posted"] = len(keys)
    result["... naming a competitor"] = len(naming)
    result["... whose mentions are exactly the competitors named"] = sum(
        found[k] == comps for k, (_t, comps) in keys.items()
    )
    result["expected mentions"] = sum(len(c) for _t, c in keys.values())
    result["mentions found"] = sum(len(v) for v in found.values())
    rep_keys = tuple(f"message:{mid}" for mid in run.rep_messages) or ("",)
    cr.execute(
        "SELECT count(*) FROM custcare_competitor_mention WHERE source_key IN %s",
        [rep_keys],
    )
    result["mentions from reps' own messages (expected 0)"] = cr.fetchone()[0]
    races = run.description_races
    if races:
        cr.execute(
            "SELECT res_id, competitor_id, count(*) FROM custcare_competitor_mention"
            " WHERE res_model = 'helpdesk.ticket' AND source_key = 'description'"
            " AND res_id IN %s GROUP BY 1, 2",
            [tuple(r[0] for r in races)],
        )
        counts = {(t, c): n for t, c, n in cr.fetchall()}
        result["description races"] = len(races)
        result["... with one mention of the competitor"] = sum(
            counts.get((t, c)) == 1 for t, c, _e in races
        )
        result["... where a save failed"] = sum(bool(e) for _t, _c, e in races)
    return result


def check_notices(cr, plan):
    """Promise passed: told once; later check: asked once."""
    result = {}
    if plan["promise_tickets"]:
        cr.execute(
            "SELECT count(*) FILTER (WHERE custcare_promise_notified),"
            " count(*) FILTER (WHERE custcare_notice_count = 1),"
            " count(*) FILTER (WHERE custcare_notice_count > 1)"
            " FROM helpdesk_ticket WHERE id IN %s",
            [tuple(plan["promise_tickets"])],
        )
        notified, once, more = cr.fetchone()
        result["promise tickets"] = len(plan["promise_tickets"])
        result["... told (notified flag / one notice / more than one)"] = (
            f"{notified} / {once} / {more}"
        )
    if plan["later_tickets"]:
        cr.execute(
            "SELECT res_id, count(*) FROM rating_rating WHERE res_model = "
            "'helpdesk.ticket' AND custcare_notice = 'later' AND res_id IN %s "
            "GROUP BY res_id",
            [tuple(plan["later_tickets"])],
        )
        counts = Counter(dict(cr.fetchall()).values())
        result["later-check tickets"] = len(plan["later_tickets"])
        result["... asked once / more than once"] = (
            f"{counts.get(1, 0)} / {sum(n for k, n in counts.items() if k > 1)}"
        )
    return result


def _traceback_end(lines, i):
    """Index of the exception line that closes the traceback at ``i``."""
    j = i + 1
    while j < len(lines) and (lines[j].startswith((" ", "\t")) or not lines[j]):
        j += 1
    return min(j, len(lines) - 1)


def log_problems(paths):
    """ERROR and CRITICAL records (by logger and message, numbers blanked)
    and tracebacks (by their exception line), counted."""
    found = Counter()
    for path in paths:
        if not path.exists():
            continue
        lines = path.read_text(errors="replace").splitlines()
        i = 0
        while i < len(lines):
            line = lines[i]
            if line.startswith("Traceback"):
                i = _traceback_end(lines, i)
                found[f"{path.name}: Traceback → {lines[i][:140]}"] += 1
            else:
                match = LOG_LINE.match(line)
                if match and match.group(2) in ("ERROR", "CRITICAL"):
                    message = re.sub(r"\d+", "N", match.group(5))[:140]
                    if message.startswith("bad query"):
                        message = _bad_query(lines, i)
                    level, logger = match.group(2), match.group(4)
                    found[f"{path.name}: {level} {logger}: {message}"] += 1
            i += 1
    return found


def _bad_query(lines, i):
    """Odoo logs each failed query (even a serialization failure that it
    then retries): name its statement, table and PostgreSQL's error."""
    text = "\n".join(lines[i : i + 40])
    statement = re.search(r'(UPDATE|INSERT INTO|DELETE FROM|FROM)\s+"?(\w+)', text)
    error = re.search(r"^ERROR:\s+(.*)$", text, re.MULTILINE)
    what = " ".join(statement.groups()) if statement else "?"
    return f"bad query: {what} → {error.group(1) if error else '?'}"


def failed_mails(cr):
    """Mails Odoo could not hand to the SMTP sink, by kind and author."""
    cr.execute(
        """SELECT mm.message_type, mm.model, coalesce(p.name, '-'),
                  split_part(coalesce(m.failure_reason, ''), E'\n', 1), count(*)
             FROM mail_mail m JOIN mail_message mm ON mm.id = m.mail_message_id
        LEFT JOIN res_partner p ON p.id = mm.author_id
            WHERE m.state = 'exception' GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC"""
    )
    return {
        f"{kind} on {model or '-'} by {author}: {reason[:90]}": count
        for kind, model, author, reason, count in cr.fetchall()
    }
