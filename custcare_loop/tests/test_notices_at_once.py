"""Notices leave at once, not within the hour (issue 18)."""

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common_week_one import WeekOneCommon


@tagged("post_install", "-at_install")
class TestNoticesLeaveAtOnce(WeekOneCommon):
    """Every notice is handed to the mail queue, whose job is woken up at
    once: nothing waits for the hourly run, no request waits on SMTP."""

    def _assert_leaves_at_once(self, record, subject, triggers, at=None):
        mail = self._mails(record).filtered(lambda m: subject in (m.subject or ""))
        self.assertEqual(len(mail), 1, f"one mail {subject!r}")
        self.assertEqual(mail.recipient_ids, self.contact)
        self.assertTrue(
            triggers.records, "the mail queue is asked to run now, not within the hour"
        )
        self.assertTrue(
            all(t.call_at <= (at or datetime.now()) for t in triggers.records),
            "now, not later",
        )
        # the mail queue's job, once woken, sends it
        self.assertEqual(mail.state, "outgoing")
        with self.mock_mail_gateway(), self.enter_registry_test_mode():
            self.assertIs(self.mail_queue.method_direct_trigger(), True)
        self.env.invalidate_all()
        self.assertEqual(mail.state, "sent")
        sent = [
            m
            for m in self._mails
            if subject in m["subject"] and self.contact.email in str(m["email_to"])
        ]
        self.assertEqual(len(sent), 1, "sent once, to the customer")

    def test_the_resolution_notice(self):
        ticket = self._create_ticket(user_id=self.owner.id)
        self._flush_tracking()
        with self._queue_triggers() as triggers:
            self._resolve(ticket)
        self._assert_leaves_at_once(ticket, "Resolved:", triggers)

    def test_the_later_check(self):
        ticket = self._create_ticket(user_id=self.owner.id)
        self._flush_tracking()
        with freeze_time("2027-03-01 10:00:00"):
            self._resolve(ticket)
        self._mails(ticket).unlink()
        with freeze_time("2027-04-01 10:00:00"), self._queue_triggers() as triggers:
            self._run_cron("custcare_loop.ir_cron_custcare_later_check")
        self.assertTrue(ticket.custcare_later_check_sent)
        self._assert_leaves_at_once(
            ticket, "Is it still working?", triggers, at=datetime(2027, 4, 1, 10)
        )

    def test_a_promise_moved(self):
        ticket = self._create_ticket(
            user_id=self.owner.id, custcare_promised_date=datetime(2027, 5, 1, 12, 0)
        )
        with self._queue_triggers() as triggers:
            ticket.with_user(self.owner).write(
                {
                    "custcare_promised_date": datetime(2027, 5, 8, 12, 0),
                    "custcare_promise_reason": "The part is late",
                }
            )
        self._assert_leaves_at_once(ticket, "New date for", triggers)

    def test_a_promise_slipped(self):
        ticket = self._create_ticket(
            user_id=self.owner.id, custcare_promised_date=datetime(2027, 5, 1, 12, 0)
        )
        with freeze_time("2027-05-02 12:00:00"), self._queue_triggers() as triggers:
            self._run_cron("custcare_loop.ir_cron_custcare_promise_watch")
        self._assert_leaves_at_once(
            ticket, "We are late on", triggers, at=datetime(2027, 5, 2, 12)
        )

    def test_you_asked_we_did_it(self):
        point = self.env(user=self.owner)["custcare.improvement.point"].create(
            {
                "name": "Open on Sundays",
                "partner_id": self.contact.id,
                "action_taken": "<p>We open 8-12 on Sundays.</p>",
            }
        )
        with self._queue_triggers() as triggers:
            point.with_context(custcare_done_confirmed=True).action_done()
        self._assert_leaves_at_once(point, "You asked, we did it", triggers)
