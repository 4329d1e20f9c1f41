"""19.0.2.2.0: a closed ticket awaits no reply, and a closed ticket or
conversation shows no suggested temperature (issue 18). A database upgraded
from an earlier version ends the waits of the tickets it already closed
(with their reminders) and drops the suggestions of the records it already
closed. Reminders planned before this version were To-Dos; those still open
become 'Reply to the Customer' activities, so that the end of their wait
removes them too."""

from odoo import SUPERUSER_ID, api

# the summary the reply reminder had (no translation shipped before this
# version: always English)
OLD_REMINDER_SUMMARY = "Reply to the customer: waiting since %"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Ticket = env["helpdesk.ticket"].with_context(active_test=False)
    reminded = Ticket.search([("custcare_reply_reminded", "=", True)])
    env["mail.activity"].search(
        [
            ("res_model", "=", "helpdesk.ticket"),
            ("res_id", "in", reminded.ids),
            ("activity_type_id", "=", env.ref("mail.mail_activity_data_todo").id),
            ("summary", "=like", OLD_REMINDER_SUMMARY),
        ]
    ).activity_type_id = env.ref("custcare_loop.mail_activity_type_reply_reminder")
    Ticket.search(
        [
            ("stage_id.closed", "=", True),
            ("custcare_awaiting_reply_since", "!=", False),
        ]
    )._custcare_end_wait()
    for model, closed in (
        ("helpdesk.ticket", ("stage_id.closed", "=", True)),
        ("custcare.conversation", ("state", "=", "closed")),
    ):
        env[model].with_context(active_test=False).search(
            [closed, ("custcare_temperature_suggestion", "!=", False)]
        ).write({"custcare_temperature_suggestion": False})
