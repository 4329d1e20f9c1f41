"""19.0.2.2.0: a closed ticket awaits no reply, and a closed ticket or
conversation shows no suggested temperature (issue 18). A database upgraded
from an earlier version ends the waits of the tickets it already closed
(with their reminders) and drops the suggestions of the records it already
closed. Reminders planned before this version were To-Dos; those still open
become 'Reply to the Customer' activities, so that the end of their wait
removes them too. A notice is from the one who signs it: the notice
templates whose From line is still the one shipped before take the new one
(their signature, the owner else the company, already names that person)."""

from odoo import SUPERUSER_ID, api

# the summary the reply reminder had (no translation shipped before this
# version: always English)
OLD_REMINDER_SUMMARY = "Reply to the customer: waiting since %"
OLD_EMAIL_FROM = "{{ (object.company_id.email_formatted or user.email_formatted) }}"
NEW_EMAIL_FROM = "{{ object._custcare_notice_email_from() }}"
NOTICE_TEMPLATES = (
    "mail_template_resolution_notice",
    "mail_template_later_check",
    "mail_template_promise_slipped",
    "mail_template_promise_moved",
    "mail_template_improvement_done",
)


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
    for xmlid in NOTICE_TEMPLATES:
        template = env.ref(f"custcare_loop.{xmlid}", raise_if_not_found=False)
        if template and template.email_from == OLD_EMAIL_FROM:
            template.email_from = NEW_EMAIL_FROM
