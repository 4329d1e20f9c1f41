"""Upgrade from the previous release (19.0.1.3.0) in a database of its own:
the customer's answers that the ticket kept in its own fields become
ratings, and links still waiting for an answer keep working."""

import json
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from odoo.tests import tagged

ROOT = Path(__file__).resolve().parent.parent
PREVIOUS_RELEASE = "b420a64"
DB = "mig_upgrade_test"
LOG_PROBLEM = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ", re.MULTILINE)
OLD_FIELDS = (
    "custcare_feedback_token",
    "custcare_feedback_round",
    "custcare_feedback_answer",
    "custcare_later_answer",
    "custcare_feedback_comment",
    "custcare_feedback_date",
)

# With 19.0.1.3.0's own methods: (a) resolution answered with a comment,
# (b) both rounds answered (partial then bad), commented after the first
# answer, (c) a resolution notice waiting for its answer, (d) no notice,
# (e) resolution answered, later check waiting, (f) answered "still a
# problem" with a comment, reopened and resolved again: a new notice waits
# (19.0.1.3.0 cleared that answer, only the comment is left). Then the dates
# of the notices and answers as if days had passed between them.
SEED = """
import json

env = env(context=dict(env.context, mail_notify_force_send=False))
Ticket = env["helpdesk.ticket"]
done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
customer = env["res.partner"].create(
    {"name": "Upgrade Customer", "email": "upgrade.customer@example.com"}
)
owner = env.ref("base.user_admin")
tickets = {
    key: Ticket.create(
        {
            "name": f"Upgrade {key}",
            "description": "The export fails",
            "partner_id": customer.id,
            "user_id": owner.id,
        }
    )
    for key in "abcdef"
}


def resolve(ticket):
    if not ticket.improvement_point_ids:
        env["custcare.improvement.point"].create(
            {"name": "Clearer export errors", "partner_id": customer.id,
             "ticket_id": ticket.id}
        )
    ticket.stage_id = done
    env.flush_all()


def later_check(ticket):
    ticket._custcare_send_notice(
        "custcare_loop.mail_template_later_check", new_token="later"
    )
    ticket.custcare_later_check_sent = True


for key in "abcef":
    resolve(tickets[key])
tickets["a"]._custcare_record_feedback("good")
tickets["a"]._custcare_record_feedback_comment("Fixed fast, thanks")
tickets["b"]._custcare_record_feedback("partial")
tickets["b"]._custcare_record_feedback_comment("The export still drops a column")
later_check(tickets["b"])
tickets["b"]._custcare_record_feedback("bad")
tickets["e"]._custcare_record_feedback("good")
later_check(tickets["e"])
tickets["f"]._custcare_record_feedback("bad")
tickets["f"]._custcare_record_feedback_comment("Still broken on Mondays")
resolve(tickets["f"])
env.flush_all()
dates = {
    "a": ("2026-01-05 09:00:00", "2026-01-05 17:30:00"),
    "b": ("2026-01-10 09:00:00", "2026-01-25 08:15:00"),
    "c": ("2026-01-12 09:00:00", None),
    "e": ("2026-01-02 09:00:00", "2026-01-03 10:00:00"),
    "f": ("2026-01-20 09:00:00", None),
}
for key, (resolved, answered) in dates.items():
    env.cr.execute(
        "UPDATE helpdesk_ticket SET custcare_resolved_date = %s,"
        " custcare_feedback_date = %s WHERE id = %s",
        [resolved, answered, tickets[key].id],
    )
env.cr.execute(
    "SELECT id, custcare_feedback_token, custcare_feedback_round,"
    " custcare_feedback_answer, custcare_later_answer, custcare_feedback_comment"
    " FROM helpdesk_ticket WHERE id = ANY(%s)",
    [[t.id for t in tickets.values()]],
)
old = {row[0]: row[1:] for row in env.cr.fetchall()}
print("SEEDED " + json.dumps({
    key: {
        "id": ticket.id,
        "columns": old[ticket.id],
        "customer": customer.id,
        "owner": owner.partner_id.id,
    }
    for key, ticket in tickets.items()
}))
env.cr.commit()
"""

CHECK = """
import json

env.cr.execute(
    "SELECT column_name FROM information_schema.columns"
    " WHERE table_name = 'helpdesk_ticket' AND column_name = ANY(%(old)s)",
    {"old": OLD_FIELDS},
)
columns = [name for (name,) in env.cr.fetchall()]
env.cr.execute(
    "SELECT name FROM ir_model_fields"
    " WHERE model = 'helpdesk.ticket' AND name = ANY(%(old)s)",
    {"old": OLD_FIELDS},
)
fields_left = [name for (name,) in env.cr.fetchall()]
env.cr.execute(
    "SELECT module || '.' || name FROM ir_model_data WHERE module = 'custcare_loop'"
    " AND name ~ ('__(' || array_to_string(%(old)s, '|') || ')($|__)')",
    {"old": OLD_FIELDS},
)
xmlids_left = [xmlid for (xmlid,) in env.cr.fetchall()]
ratings = {}
for ticket_id in TICKET_IDS:
    ticket = env["helpdesk.ticket"].browse(ticket_id)
    ratings[ticket_id] = [
        {
            "notice": rating.custcare_notice,
            "consumed": rating.consumed,
            "rating": rating.rating,
            "feedback": rating.feedback or None,
            "token": rating.access_token,
            "asked_on": str(rating.create_date),
            "rated_on": str(rating.rated_on) if rating.rated_on else None,
            "customer": rating.partner_id.id,
            "owner": rating.rated_partner_id.id,
            "status": ticket._custcare_feedback_status(rating),
        }
        for rating in env["rating.rating"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket_id)],
            order="id",
        )
    ]
last_values = {
    ticket.id: ticket.rating_last_value
    for ticket in env["helpdesk.ticket"].browse(TICKET_IDS)
}
print("CHECKED " + json.dumps({
    "columns": columns,
    "fields": fields_left,
    "xmlids": xmlids_left,
    "ratings": ratings,
    "last_values": last_values,
}))
"""


@tagged("post_install", "-at_install", "custcare_loop_external")
class TestUpgrade(unittest.TestCase):
    """Install 19.0.1.3.0 from git, answer its notices, upgrade to this
    version: every answer and comment is on a rating, the links still
    waiting for an answer still work, the old columns are gone, and no step
    logs a warning."""

    def setUp(self):
        super().setUp()
        found = subprocess.run(
            [
                "git",
                "-C",
                str(ROOT),
                "cat-file",
                "-e",
                f"{PREVIOUS_RELEASE}^{{commit}}",
            ],
            capture_output=True,
            check=False,
        )
        if found.returncode:
            self.fail(
                f"Commit {PREVIOUS_RELEASE} (custcare_loop 19.0.1.3.0, the release "
                f"this test upgrades from) is not in the repository at {ROOT}: "
                "fetch the full history (git fetch --unshallow) to run this test."
            )
        self.old_addons = Path(tempfile.mkdtemp(prefix="custcare_previous_"))
        self.addCleanup(shutil.rmtree, self.old_addons, ignore_errors=True)
        archive = subprocess.run(
            f"git -C {shlex.quote(str(ROOT))} archive {PREVIOUS_RELEASE}"
            f" custcare_loop | tar -x -C {shlex.quote(str(self.old_addons))}",
            shell=True,
            capture_output=True,
            text=True,
            check=False,
        )
        manifest = self.old_addons / "custcare_loop" / "__manifest__.py"
        self.assertTrue(manifest.is_file(), archive.stderr)
        self.assertIn('"version": "19.0.1.3.0"', manifest.read_text())
        self._dropdb()
        self.addCleanup(self._dropdb)

    def _dropdb(self):
        subprocess.run(["dropdb", "--if-exists", DB], capture_output=True, check=True)

    def _odoo(self, command, addons_path, *args, stdin=None):
        """Run Odoo on the test database; it must succeed and log no
        WARNING or ERROR. Returns its output."""
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "odoo",
                command,
                "-d",
                DB,
                f"--addons-path={addons_path}",
                "--log-level=info",
                *(["--no-http"] if command == "shell" else []),
                "--http-interface=127.0.0.1",
                *args,
            ],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=self.old_addons,
            check=False,
        )
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 0, output[-3000:])
        lines = [line for line in output.splitlines() if LOG_PROBLEM.match(line)]
        self.assertFalse(
            lines, f"odoo {command} {' '.join(args)}:\n" + "\n".join(lines)
        )
        return output

    @staticmethod
    def _printed(output, marker):
        match = re.search(rf"^{marker} (.*)$", output, re.MULTILINE)
        return match and json.loads(match.group(1))

    def test_answers_become_ratings(self):
        self._odoo(
            "server", self.old_addons, "-i", "custcare_loop", "--stop-after-init"
        )
        seeded = self._printed(
            self._odoo("shell", self.old_addons, stdin=SEED), "SEEDED"
        )
        self.assertTrue(seeded, "the seed script printed nothing")
        token = {key: ticket["columns"][0] for key, ticket in seeded.items()}
        # what 19.0.1.3.0 left on the tickets, as this test means it
        columns = {key: ticket["columns"][1:] for key, ticket in seeded.items()}
        self.assertEqual(
            columns,
            {
                "a": ["resolution", "good", None, "Fixed fast, thanks"],
                "b": ["later", "partial", "bad", "The export still drops a column"],
                "c": ["resolution", None, None, None],
                "d": [None, None, None, None],
                "e": ["later", "good", None, None],
                "f": ["resolution", None, None, "Still broken on Mondays"],
            },
        )
        self.assertTrue(all(token[key] for key in "abcef"))

        self._odoo("server", ROOT, "-u", "custcare_loop", "--stop-after-init")
        ids = [ticket["id"] for ticket in seeded.values()]
        checked = self._printed(
            self._odoo(
                "shell",
                ROOT,
                stdin=f"OLD_FIELDS = {list(OLD_FIELDS)!r}\nTICKET_IDS = {ids!r}\n"
                + CHECK,
            ),
            "CHECKED",
        )
        self.assertTrue(checked, "the check script printed nothing")
        self.assertEqual(checked["columns"], [], "old columns left on helpdesk_ticket")
        self.assertEqual(checked["fields"], [], "old fields left in ir.model.fields")
        self.assertEqual(checked["xmlids"], [], "old fields' external ids left")

        def rating(notice, value, feedback, key, asked_on, rated_on, status):
            """A rating as expected; ``key``'s token, or None for a new one."""
            return {
                "notice": notice,
                "consumed": status != "open",
                "rating": value,
                "feedback": feedback,
                "token": token[key] if key else None,
                "asked_on": asked_on,
                "rated_on": rated_on,
                "status": status,
            }

        expected = {
            "a": [
                rating(
                    "resolution",
                    5,
                    "Fixed fast, thanks",
                    "a",
                    "2026-01-05 09:00:00",
                    "2026-01-05 17:30:00",
                    "answered",
                ),
            ],
            "b": [
                # answered before the later check, on a day we do not know:
                # dated when the resolution notice went out
                rating(
                    "resolution",
                    3,
                    "The export still drops a column",
                    None,
                    "2026-01-10 09:00:00",
                    "2026-01-10 09:00:00",
                    "answered",
                ),
                rating(
                    "later",
                    1,
                    None,
                    "b",
                    "2026-01-24 09:00:00",
                    "2026-01-25 08:15:00",
                    "answered",
                ),
            ],
            "c": [
                rating("resolution", 0, None, "c", "2026-01-12 09:00:00", None, "open"),
            ],
            "d": [],
            "e": [
                rating(
                    "resolution",
                    5,
                    None,
                    None,
                    "2026-01-02 09:00:00",
                    "2026-01-03 10:00:00",
                    "answered",
                ),
                rating("later", 0, None, "e", "2026-01-16 09:00:00", None, "open"),
            ],
            "f": [
                # the comment outlives the answer 19.0.1.3.0 cleared
                rating(
                    "resolution",
                    0,
                    "Still broken on Mondays",
                    None,
                    "2026-01-20 09:00:00",
                    "2026-01-20 09:00:00",
                    "answered",
                ),
                rating("resolution", 0, None, "f", "2026-01-20 09:00:00", None, "open"),
            ],
        }
        for key, ticket in seeded.items():
            ratings = checked["ratings"][str(ticket["id"])]
            for found in ratings:
                # a customer answers, the ticket's owner is rated
                self.assertEqual(found.pop("customer"), ticket["customer"], key)
                self.assertEqual(found.pop("owner"), ticket["owner"], key)
                if found["token"] != token[key]:
                    self.assertTrue(found["token"], key)
                    found["token"] = None
            self.assertEqual(ratings, expected[key], f"ticket {key}")
        last_values = {
            key: checked["last_values"][str(ticket["id"])]
            for key, ticket in seeded.items()
        }
        self.assertEqual(last_values, {"a": 5, "b": 1, "c": 0, "d": 0, "e": 5, "f": 0})
