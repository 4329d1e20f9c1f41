from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(
            cls.env,
            login="tour_rep",
            name="Tour Rep",
            groups="custcare_loop.group_custcare_user",
        )
        cls.agent = new_test_user(
            cls.env,
            login="tour_agent",
            name="Tour Agent",
            groups="helpdesk_mgmt.group_helpdesk_user",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Tour Bakery", "is_company": True, "user_id": cls.rep.id}
        )

    @mute_logger("odoo.http")
    def test_rep_closes_conversation_with_improvement_point(self):
        self.start_tour(
            f"/odoo/contacts/{self.customer.id}",
            "custcare_loop_conversation_tour",
            login="tour_rep",
        )
        conversation = self.env["custcare.conversation"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(conversation.state, "closed")
        self.assertEqual(conversation.user_id, self.rep)
        self.assertEqual(
            conversation.improvement_point_ids.name, "Call before delivering"
        )
        self.assertEqual(
            conversation.improvement_point_ids.customer_words,
            "I never know when the van comes.",
        )

    @mute_logger("odoo.http")
    def test_ticket_dragged_to_done_without_point_is_refused(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Tour ticket: stale bread",
                "description": "<p>Stale.</p>",
                "partner_id": self.customer.id,
                "user_id": self.agent.id,
            }
        )
        self.start_tour(
            "/odoo/my-helpdesk-tickets", "custcare_loop_ticket_tour", login="tour_agent"
        )
        self.assertEqual(
            ticket.stage_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        )
