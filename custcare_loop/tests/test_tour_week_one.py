"""Tours of issue 18: what a person clicks in the first week."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestWeekOneTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(
            cls.env,
            login="tour_week_rep",
            name="Tour Week Rep",
            groups="custcare_loop.group_custcare_user",
        )
        cls.proactive = cls.env.ref(
            "custcare_loop.mail_activity_type_proactive_contact"
        )
        cls.today = fields.Date.today()

    def _partner_with_proactive_contact(self, name, deadline):
        partner = self.env["res.partner"].create(
            {"name": name, "is_company": True, "user_id": self.rep.id}
        )
        partner.activity_schedule(
            act_type_xmlid="custcare_loop.mail_activity_type_proactive_contact",
            date_deadline=deadline,
            user_id=self.rep.id,
        )
        return partner

    @mute_logger("odoo.http")
    def test_not_reached_plans_the_next_try_and_says_so(self):
        partner = self._partner_with_proactive_contact(
            "Tour Unreachable Inn", self.today - timedelta(days=2)
        )
        self.start_tour(
            f"/odoo/contacts/{partner.id}",
            "custcare_loop_not_reached_tour",
            login="tour_week_rep",
        )
        retry = partner.activity_ids
        self.assertEqual(retry.activity_type_id, self.proactive)
        # three days: the default of the setting
        self.assertEqual(self.env.company.custcare_retry_days, 3)
        self.assertEqual(retry.date_deadline, self.today + timedelta(days=3))
        self.assertIn("Closed for holidays", str(partner.message_ids.mapped("body")))

    @mute_logger("odoo.http")
    def test_the_proactive_contact_group_lists_proactive_contacts(self):
        self._partner_with_proactive_contact(
            "Tour Late Lindenhof", self.today - timedelta(days=3)
        )
        fresh = self._partner_with_proactive_contact(
            "Tour Fresh Market", self.today + timedelta(days=5)
        )
        fresh.activity_schedule(
            act_type_xmlid="mail.mail_activity_data_call",
            summary="Call ahead of the change",
            date_deadline=self.today,
            user_id=self.rep.id,
        )
        self.start_tour(
            "/odoo", "custcare_loop_proactive_group_tour", login="tour_week_rep"
        )

    @mute_logger("odoo.http")
    def test_the_advantage_ribbon_is_whole(self):
        manager = new_test_user(
            self.env,
            login="tour_week_manager",
            groups="custcare_loop.group_custcare_manager",
        )
        customer = self.env["res.partner"].create({"name": "Tour Ribbon Bakery"})
        point = self.env["custcare.improvement.point"].create(
            {
                "name": "Tour: deliveries arrive late",
                "partner_id": customer.id,
                "is_top_concern": True,
                "action_taken": "<p>A second van.</p>",
            }
        )
        point.with_context(custcare_done_confirmed=True).action_done()
        self.assertTrue(point.turned_advantage)
        action = self.env.ref("custcare_loop.custcare_improvement_point_action")
        self.start_tour(
            f"/odoo/action-{action.id}/{point.id}",
            "custcare_loop_advantage_ribbon_tour",
            login=manager.login,
        )
