"""A conversation or ticket closed with "same as" shows the point it closed
with (issue 18): its own record of it is archived (it joined an existing
point), but the smart button, the tab and the list count it, and the smart
button opens the point it joined."""

from odoo.tests import Form, new_test_user, tagged

from .common import CustcareCommon


@tagged("post_install", "-at_install")
class TestSameAsShown(CustcareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.env["res.partner"].create(
            {"name": "Bistro Bob", "is_company": True, "email": "bob@example.com"}
        )
        cls.late = cls.env["custcare.improvement.point"].create(
            {"name": "Deliveries arrive late", "partner_id": cls.other.id}
        )
        cls.care_agent = new_test_user(
            cls.env,
            login="custcare_same_as_agent",
            groups="helpdesk_mgmt.group_helpdesk_user,custcare_loop.group_custcare_user",
        )

    def _close_same_as(self, user, **context):
        wizard = Form(
            self.env(user=user)["custcare.close.wizard"].with_context(**context)
        )
        wizard.name = "Deliveries are late"
        wizard.same_as_id = self.late
        if "default_ticket_id" in context:
            wizard.resolution = "Earlier truck"
        wizard.save().action_confirm()

    def _opened_points(self, action, user):
        return self.env(user=user)["custcare.improvement.point"].search(
            action["domain"]
        )

    def test_a_conversation_closed_same_as_shows_the_point_it_joined(self):
        conversation = self._create_conversation()
        self._close_same_as(
            self.rep,
            default_conversation_id=conversation.id,
            default_partner_id=self.contact.id,
        )
        conversation = conversation.with_user(self.rep)
        self.assertEqual(conversation.state, "closed")
        # the tab lists what the customer said here, pointing to the point joined
        own = conversation.improvement_point_ids
        self.assertEqual(len(own), 1, "the tab is not empty")
        self.assertFalse(own.active)
        self.assertEqual(own.merged_into_id, self.late)
        # the smart button and the list column count it, and it opens the point
        self.assertEqual(conversation.improvement_point_count, 1)
        read = conversation.search_read(
            [("id", "=", conversation.id)], ["improvement_point_count"]
        )
        self.assertEqual(read[0]["improvement_point_count"], 1, "the list's Points")
        action = conversation.action_view_improvement_points()
        self.assertEqual(self._opened_points(action, self.rep), self.late)

    def test_a_ticket_closed_same_as_shows_the_point_it_joined(self):
        ticket = self._create_ticket(user=self.care_agent)
        self._close_same_as(
            self.care_agent,
            default_ticket_id=ticket.id,
            default_partner_id=self.contact.id,
            default_stage_id=self.stage_done.id,
        )
        ticket = ticket.with_user(self.care_agent)
        self.assertEqual(ticket.stage_id, self.stage_done)
        own = ticket.improvement_point_ids
        self.assertEqual(len(own), 1, "the tab is not empty")
        self.assertEqual(own.merged_into_id, self.late)
        self.assertEqual(ticket.custcare_improvement_point_count, 1)
        action = ticket.action_custcare_view_improvement_points()
        self.assertEqual(self._opened_points(action, self.care_agent), self.late)

    def test_own_points_and_joined_points_count_once_each(self):
        conversation = self._create_conversation()
        Point = self.env["custcare.improvement.point"]
        Point.create(
            {
                "name": "Invoices without the order reference",
                "partner_id": self.contact.id,
                "conversation_id": conversation.id,
            }
        )
        # two of its points joined the same point, a third followed a merge
        for name in ("Late deliveries", "Deliveries come late"):
            Point.create(
                {
                    "name": name,
                    "partner_id": self.contact.id,
                    "conversation_id": conversation.id,
                    "merged_into_id": self.late.id,
                }
            )
        kept = Point.create({"name": "Always late", "partner_id": self.other.id})
        self.late._custcare_merge_into(kept)
        self.assertEqual(conversation.improvement_point_count, 2)
        action = conversation.action_view_improvement_points()
        opened = self._opened_points(action, self.rep)
        self.assertIn(kept, opened, "a merge of the joined point is followed")
        self.assertEqual(len(opened), 2)
