"""A closed ticket awaits no reply (issue 18)."""

import importlib.util
from datetime import datetime
from pathlib import Path

from freezegun import freeze_time

from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common_week_one import WeekOneCommon


@tagged("post_install", "-at_install")
class TestClosingEndsTheWait(WeekOneCommon):
    """A closed ticket awaits no reply: neither the field, nor the reminder,
    nor the Awaiting Reply board; a customer writing again starts a new
    wait."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reminder_type = cls.env.ref(
            "custcare_loop.mail_activity_type_reply_reminder"
        )
        cls.env.company.custcare_reply_hours = 24

    def _waiting_and_reminded(self):
        ticket = self._create_ticket(user_id=self.owner.id)
        with freeze_time("2027-03-01 09:00:00"):
            self._customer_writes(ticket)
        cron = self.env.ref("custcare_loop.ir_cron_custcare_reply_reminder")
        with freeze_time("2027-03-02 10:00:00"), self.enter_registry_test_mode():
            self.assertIs(cron.method_direct_trigger(), True)
        self.env.invalidate_all()
        reminder = ticket.activity_ids
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.owner)
        self.assertIn(ticket, self._awaiting_board())
        return ticket, reminder

    def _awaiting_board(self):
        action = self.env.ref("custcare_loop.helpdesk_ticket_action_awaiting_reply")
        return self.env["helpdesk.ticket"].search(
            safe_eval(action.domain or "[]", {"uid": self.env.uid})
        )

    def _assert_wait_ended(self, ticket, reminder):
        self.assertTrue(ticket.closed)
        self.assertFalse(ticket.custcare_awaiting_reply_since)
        self.assertFalse(ticket.custcare_reply_reminded)
        self.assertFalse(reminder.exists(), "the reply reminder is removed")
        self.assertNotIn(ticket, self._awaiting_board())
        self.assertNotIn(
            ticket,
            self.env["helpdesk.ticket"].search([("custcare_reply_late", "=", True)]),
        )

    def test_a_person_closing_ends_the_wait(self):
        ticket, reminder = self._waiting_and_reminded()
        self.assertEqual(reminder.activity_type_id, self.reminder_type)
        self.assertIn("Reply to the customer", reminder.summary)
        self._add_point(ticket)
        ticket.with_user(self.owner).stage_id = self.stage_done
        self._assert_wait_ended(ticket, reminder)

    def test_add_point_and_close_ends_the_wait(self):
        ticket, reminder = self._waiting_and_reminded()
        action = ticket.with_user(self.owner).action_custcare_close_with_point()
        wizard = Form(
            self.env(user=self.owner)[action["res_model"]].with_context(
                **action["context"]
            )
        )
        wizard.name = "Say when an order is late"
        wizard.resolution = "We call the day before a late delivery."
        wizard.save().action_confirm()
        self._assert_wait_ended(ticket, reminder)

    def test_the_system_closing_ends_the_wait(self):
        ticket, reminder = self._waiting_and_reminded()
        # a scheduled action (e.g. closing inactive tickets) runs as superuser
        ticket.sudo().stage_id = self.stage_rejected
        self._assert_wait_ended(ticket, reminder)

    def test_a_customer_writing_on_a_closed_ticket_waits_again(self):
        ticket, reminder = self._waiting_and_reminded()
        self._add_point(ticket)
        ticket.stage_id = self.stage_done
        self._assert_wait_ended(ticket, reminder)
        with freeze_time("2027-03-05 08:00:00"):
            message = self._customer_writes(ticket, "It broke again")
        self.assertEqual(ticket.custcare_awaiting_reply_since, message.date)
        self.assertIn(ticket, self._awaiting_board())

    def test_the_reminder_is_written_in_its_owners_language(self):
        """The reminder is planned by a scheduled job (OdooBot, in English):
        its summary is in the language of the owner who reads it."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["custcare_loop"], ["fr_FR"], overwrite=True
        )
        self.owner.lang = "fr_FR"
        _ticket, reminder = self._waiting_and_reminded()
        self.assertIn("Répondre au client", reminder.summary)

    def test_the_answer_removes_the_reminder_too(self):
        ticket, reminder = self._waiting_and_reminded()
        ticket.with_user(self.owner).message_post(
            body="On its way",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.contact.ids,
        )
        self.assertFalse(ticket.custcare_awaiting_reply_since)
        self.assertFalse(reminder.exists())

    def test_an_upgrade_ends_the_waits_of_closed_tickets(self):
        """A database upgraded to 19.0.2.2.0: its closed tickets stop awaiting
        a reply, and their reminders (To-Dos until then) go."""
        path = (
            Path(__file__).resolve().parent.parent
            / "migrations/19.0.2.2.0/post-migration.py"
        )
        spec = importlib.util.spec_from_file_location("custcare_mig_2_2", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        todo = self.env.ref("mail.mail_activity_data_todo")
        # as a 19.0.2.1.0 database left them: a closed ticket still waiting,
        # reminded with a To-Do; an open one waiting, reminded the same way
        ticket = self._create_ticket(user_id=self.owner.id)
        self._add_point(ticket)
        ticket.stage_id = self.stage_done
        ticket.write(
            {
                "custcare_awaiting_reply_since": datetime(2027, 3, 1, 9, 0),
                "custcare_reply_reminded": True,
            }
        )
        reminder = ticket.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Reply to the customer: waiting since 03/01/2027 10:00",
            user_id=self.owner.id,
        )
        still_open, open_reminder = self._waiting_and_reminded()
        open_reminder.activity_type_id = todo
        migration.migrate(self.env.cr, "19.0.2.1.0")
        self._assert_wait_ended(ticket, reminder)
        self.assertTrue(still_open.custcare_awaiting_reply_since)
        self.assertEqual(open_reminder.activity_type_id, self.reminder_type)
