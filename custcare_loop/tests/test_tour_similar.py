"""Tours of issue 18: similar points while typing, one click "same as", a
read-only preview; the thermometer on a kanban card and a list row."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSimilarPointsTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(
            cls.env,
            login="tour_similar_rep",
            name="Tour Similar Rep",
            groups="custcare_loop.group_custcare_user",
        )
        cls.bistro = cls.env["res.partner"].create(
            {"name": "Tour Bistro Bob", "is_company": True}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Tour Thermo Customer", "is_company": True}
        )
        cls.squashed = cls.env["custcare.improvement.point"].create(
            {
                "name": "Croissants arrive squashed in the box",
                "partner_id": cls.bistro.id,
                "state": "planned",
            }
        )

    def test_similar_points_while_typing_one_click_same_as_and_a_preview(self):
        conversation = (
            self.env["custcare.conversation"]
            .with_user(self.rep)
            .create({"partner_id": self.customer.id, "name": "Morning call"})
        )
        self.start_tour(
            f"/odoo/action-custcare_loop.custcare_conversation_action/{conversation.id}",
            "custcare_loop_similar_points_tour",
            login="tour_similar_rep",
        )
        self.assertEqual(conversation.state, "closed")
        self.assertIn(self.customer, self.squashed.partner_ids)
        self.assertEqual(self.squashed.state, "planned", "the preview changed nothing")
        self.assertEqual(conversation.improvement_point_count, 1)

    def test_the_kanban_thermometer_sets_the_temperature(self):
        conversation = (
            self.env["custcare.conversation"]
            .with_user(self.rep)
            .create({"partner_id": self.customer.id, "name": "Thermo call"})
        )
        self.start_tour(
            "/odoo/action-custcare_loop.custcare_conversation_action?view_type=kanban",
            "custcare_loop_kanban_thermometer_tour",
            login="tour_similar_rep",
        )
        self.assertEqual(conversation.temperature, "hot")

    def test_the_list_thermometer_sets_the_temperature(self):
        conversation = (
            self.env["custcare.conversation"]
            .with_user(self.rep)
            .create({"partner_id": self.customer.id, "name": "Thermo call"})
        )
        self.start_tour(
            "/odoo/action-custcare_loop.custcare_conversation_action?view_type=list",
            "custcare_loop_list_thermometer_tour",
            login="tour_similar_rep",
        )
        self.assertEqual(conversation.temperature, "warm")
