"""One escalation per episode; no suggestion on a closed record (issue 18)."""

import importlib.util
from pathlib import Path

from odoo.tests import tagged

from .common_week_one import ANGRY, WeekOneCommon


@tagged("post_install", "-at_install")
class TestOneEscalationPerEpisode(WeekOneCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Hot Line", "user_id": cls.leader.id}
        )
        cls.escalation = cls.env.ref("custcare_loop.mail_activity_type_escalation")

    def _escalations(self, ticket):
        return ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == self.escalation
        )

    def test_a_reopened_hot_ticket_keeps_its_one_open_escalation(self):
        ticket = self._create_ticket(team_id=self.team.id, custcare_temperature="hot")
        first = self._escalations(ticket)
        self.assertEqual(len(first), 1)
        self._add_point(ticket)
        ticket.stage_id = self.stage_done
        ticket.stage_id = self.stage_new  # reopened, still hot
        self.assertEqual(self._escalations(ticket), first, "one, not two")
        self.assertTrue(ticket.custcare_escalated)
        ticket.custcare_temperature = "boiling"
        self.assertEqual(self._escalations(ticket), first)

    def test_once_the_leader_stepped_in_a_new_episode_escalates_again(self):
        ticket = self._create_ticket(team_id=self.team.id, custcare_temperature="hot")
        self._escalations(ticket).with_user(self.leader).action_feedback("Called")
        self._add_point(ticket)
        ticket.stage_id = self.stage_done
        ticket.stage_id = self.stage_new
        second = self._escalations(ticket)
        self.assertEqual(len(second), 1)
        self.assertEqual(second.user_id, self.leader)


@tagged("post_install", "-at_install")
class TestClosedRecordsSuggestNothing(WeekOneCommon):
    def test_closing_a_ticket_drops_its_suggestion(self):
        ticket = self._create_ticket(user_id=self.owner.id)
        self._customer_writes(ticket, ANGRY)
        self.assertEqual(ticket.custcare_temperature_suggestion, "boiling")
        self._add_point(ticket)
        ticket.stage_id = self.stage_done
        self.assertFalse(ticket.custcare_temperature_suggestion)
        # the customer writing on the closed ticket: a new wait, no banner
        self._customer_writes(ticket, ANGRY)
        self.assertTrue(ticket.custcare_awaiting_reply_since)
        self.assertFalse(ticket.custcare_temperature_suggestion)
        # reopened, their words count again
        ticket.stage_id = self.stage_new
        self._customer_writes(ticket, ANGRY)
        self.assertEqual(ticket.custcare_temperature_suggestion, "boiling")

    def test_closing_a_conversation_drops_its_suggestion(self):
        conversation = self._create_conversation(
            summary="<p>She was angry and disappointed: the worst delivery ever.</p>"
        )
        self.assertTrue(conversation.custcare_temperature_suggestion)
        self.env["custcare.improvement.point"].create(
            {
                "name": "Deliver on time",
                "partner_id": self.contact.id,
                "conversation_id": conversation.id,
            }
        )
        conversation.action_close()
        self.assertFalse(conversation.custcare_temperature_suggestion)

    def test_an_upgrade_drops_the_suggestions_of_closed_records(self):
        path = (
            Path(__file__).resolve().parent.parent
            / "migrations/19.0.2.2.0/post-migration.py"
        )
        spec = importlib.util.spec_from_file_location("custcare_mig_2_2", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        closed = self._create_ticket(user_id=self.owner.id)
        self._add_point(closed)
        closed.stage_id = self.stage_done
        still_open = self._create_ticket(user_id=self.owner.id)
        conversation = self._create_conversation()
        self.env["custcare.improvement.point"].create(
            {
                "name": "Deliver on time",
                "partner_id": self.contact.id,
                "conversation_id": conversation.id,
            }
        )
        conversation.action_close()
        # as a 19.0.2.1.0 database left them
        (closed | still_open).custcare_temperature_suggestion = "hot"
        conversation.custcare_temperature_suggestion = "hot"
        migration.migrate(self.env.cr, "19.0.2.1.0")
        self.assertFalse(closed.custcare_temperature_suggestion)
        self.assertFalse(conversation.custcare_temperature_suggestion)
        self.assertEqual(still_open.custcare_temperature_suggestion, "hot")
