from datetime import timedelta

from odoo import fields
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
    def test_ticket_dragged_to_done_without_point_is_refused_then_fixed(self):
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
            ticket.stage_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        )
        self.assertEqual(ticket.improvement_point_ids.name, "Bake the bread on the day")

    @mute_logger("odoo.http")
    def test_a_point_dragged_to_done_goes_through_mark_as_done(self):
        self.customer.email = "orders@tour-bakery.example.com"
        point = self.env["custcare.improvement.point"].create(
            {
                "name": "Tour point: open on Sundays",
                "partner_id": self.customer.id,
                "user_id": self.rep.id,
            }
        )
        action = self.env.ref("custcare_loop.custcare_improvement_point_action")
        self.start_tour(
            f"/odoo/action-{action.id}",
            "custcare_loop_point_done_tour",
            login="tour_rep",
        )
        self.assertEqual(point.state, "done")
        self.assertIn("Sundays, 8 to 12", point.action_taken)
        self.assertEqual(point.notified_partner_ids, self.customer)

    def test_manager_works_the_care_board(self):
        manager = new_test_user(
            self.env,
            login="tour_manager",
            name="Tour Manager",
            groups="custcare_loop.group_custcare_manager",
        )
        tier = self.env["custcare.tier"].create(
            {"name": "Tour monthly", "interval_number": 1, "interval_type": "months"}
        )
        partner = self.env["res.partner"].create(
            {
                "name": "Tour Overdue Deli",
                "is_company": True,
                "user_id": manager.id,
                "custcare_tier_id": tier.id,
                "custcare_care_start_date": fields.Date.today() - timedelta(days=365),
                "custcare_last_contact_date": fields.Date.today() - timedelta(days=60),
            }
        )
        self.assertEqual(partner.custcare_contact_state, "overdue")
        activity_type = self.env.ref(
            "custcare_loop.mail_activity_type_proactive_contact"
        )
        self.env["res.partner"]._custcare_schedule_contacts_batch(activity_type)
        activity = partner.activity_ids
        self.assertEqual(activity.activity_type_id, activity_type)
        self.start_tour(
            "/odoo/care-board", "custcare_loop_care_board_tour", login="tour_manager"
        )
        self.assertFalse(activity.exists() and activity.active)
        conversation = self.env["custcare.conversation"].search(
            [("partner_id", "=", partner.id)]
        )
        self.assertEqual(conversation.name, "Proactive call")
        self.assertIn("Asked about Sunday deliveries", conversation.summary)
        self.assertEqual(conversation.user_id, manager)
        self.assertEqual(partner.custcare_last_contact_date, fields.Date.today())
        self.assertEqual(partner.custcare_contact_state, "on_track")

    def test_rep_opens_a_customers_competitor_mentions(self):
        self.env["custcare.competitor"].create({"name": "Tour Rival"})
        self.customer.message_post(
            author_id=self.customer.id,
            body="<p>Tour Rival offers half price, you know.</p>",
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.start_tour(
            f"/odoo/contacts/{self.customer.id}",
            "custcare_loop_competitor_tour",
            login="tour_rep",
        )

    def test_rep_sets_a_temperature_and_sees_the_escalation(self):
        leader = new_test_user(self.env, login="tour_leader", name="Tour Leader")
        self.env.company.custcare_fallback_user_id = leader
        conversation = self.env["custcare.conversation"].create(
            {"partner_id": self.customer.id, "user_id": self.rep.id}
        )
        self.start_tour(
            f"/odoo/custcare.conversation/{conversation.id}",
            "custcare_loop_temperature_tour",
            login="tour_rep",
        )
        self.assertEqual(conversation.temperature, "boiling")
        escalation = conversation.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("custcare_loop.mail_activity_type_escalation")
            )
        )
        self.assertEqual(escalation.user_id, leader)

    def test_manager_works_the_at_risk_board(self):
        new_test_user(
            self.env,
            login="tour_risk_manager",
            groups="custcare_loop.group_custcare_manager",
        )
        hotel = self.env["res.partner"].create(
            {
                "name": "Tour Risky Hotel",
                "is_company": True,
                "email": "hotel@example.com",
                "custcare_interval_number": 1,
                "custcare_care_start_date": fields.Date.today() - timedelta(days=365),
                "custcare_last_contact_date": fields.Date.today() - timedelta(days=90),
            }
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Wrong cake",
                "description": "<p>x</p>",
                "partner_id": hotel.id,
                "custcare_temperature": "boiling",
            }
        )
        self.env["custcare.improvement.point"].create(
            {"name": "Read back orders", "partner_id": hotel.id, "ticket_id": ticket.id}
        )
        ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        ticket._custcare_record_answer("bad", "Still dry")
        hotel._custcare_refresh_health()
        self.assertEqual(hotel.custcare_health_state, "at_risk")
        self.start_tour(
            "/odoo/customers-at-risk",
            "custcare_loop_at_risk_tour",
            login="tour_risk_manager",
        )

    def test_from_top_concern_to_faq_to_chatter_to_public_page(self):
        new_test_user(
            self.env,
            login="tour_voice_manager",
            groups="custcare_loop.group_custcare_manager,base.group_user",
        )
        rep = new_test_user(
            self.env,
            login="tour_voice_rep",
            groups="custcare_loop.group_custcare_user,helpdesk_mgmt.group_helpdesk_user",
        )
        customers = self.env["res.partner"].create(
            [{"name": f"Tour Shop {i}", "is_company": True} for i in range(8)]
        )
        self.env["custcare.improvement.point"].create(
            {
                "name": "Tour: deliveries come too late",
                "partner_id": customers[0].id,
                "partner_ids": [(6, 0, customers[1:].ids)],
            }
        )
        self.env["custcare.improvement.point"].create(
            {"name": "Tour: a lonely concern", "partner_id": customers[0].id}
        )
        self.start_tour(
            "/odoo/top-concerns",
            "custcare_loop_top_concern_faq_tour",
            login="tour_voice_manager",
        )
        faq = self.env["custcare.faq"].search([("shortcut", "=", "tour-early")])
        self.assertTrue(faq.is_published)
        self.assertTrue(faq.canned_response_id)
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Tour: when do you deliver?",
                "description": "<p>?</p>",
                "partner_id": customers[0].id,
                "user_id": rep.id,
            }
        )
        self.start_tour(
            f"/odoo/helpdesk.ticket/{ticket.id}",
            "custcare_loop_canned_faq_tour",
            login="tour_voice_rep",
        )
        self.start_tour("/custcare/faq", "custcare_loop_public_faq_tour")
