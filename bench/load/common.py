"""Names and constants shared by the load benches."""

import re
from datetime import datetime, timezone
from pathlib import Path

# the repository: custcare_loop is on the addons path from there
ROOT = Path(__file__).resolve().parent.parent.parent
# custcare_loop/models/res_partner_scheduler.py: SCHEDULER_LOCK
SCHEDULER_LOCK = 7_461_019_001
CSRF = re.compile(r'csrf_token: "([^"]+)"')
ANSWERS = {"good": 5, "partial": 3, "bad": 1}
ANSWER_NOTE = "The customer answered"
# what a customer sees after submitting: recorded, or refused as answered
ANSWER_OUTCOMES = ("thanks", "answered", "expired")
SCHEDULER_XMLID = "custcare_loop.ir_cron_custcare_schedule_contacts"
PROMISE_XMLID = "custcare_loop.ir_cron_custcare_promise_watch"
LATER_XMLID = "custcare_loop.ir_cron_custcare_later_check"
MAIL_QUEUE_XMLID = "mail.ir_cron_mail_scheduler_action"
ACTIVITY_XMLID = "custcare_loop.mail_activity_type_proactive_contact"


def utcnow():
    """Naive UTC, as Odoo stores datetimes."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
