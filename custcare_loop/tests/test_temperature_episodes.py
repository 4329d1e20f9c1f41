"""One escalation per episode (issue 18)."""

from odoo.tests import tagged

from .common_week_one import WeekOneCommon


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
