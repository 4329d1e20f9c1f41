from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestLostDealTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(
            cls.env,
            login="tour_seller",
            password="tour_seller",
            name="Tess Seller",
            groups="sales_team.group_sale_salesman,custcare_loop.group_custcare_user",
        )
        customer = cls.env["res.partner"].create(
            {"name": "Tour Bakery Customer", "is_company": True}
        )
        cls.competitor = cls.env["custcare.competitor"].create(
            {"name": "Tour Rival Bakery"}
        )
        cls.leads = cls.env["crm.lead"].create(
            [
                {
                    "name": name,
                    "type": "opportunity",
                    "partner_id": customer.id,
                    "user_id": cls.seller.id,
                }
                for name in ("Tour deal from the card", "Tour deal from the form")
            ]
        )

    def test_a_salesperson_marks_deals_lost_from_the_card_and_the_form(self):
        self.start_tour("/odoo/crm", "custcare_loop_crm_lost_tour", login="tour_seller")
        card, form = self.leads
        for lead in (card, form):
            self.assertEqual(lead.won_status, "lost")
            self.assertEqual(lead.custcare_improvement_point_count, 1)
        self.assertEqual(card.custcare_competitor_id, self.competitor)
        self.assertEqual(
            form.with_context(active_test=False).improvement_point_ids.customer_words,
            "We need it sliced",
        )

    def test_similar_points_show_while_typing_in_mark_as_lost(self):
        other = self.env["res.partner"].create(
            {"name": "Tour Other Bistro", "is_company": True}
        )
        squashed = self.env["custcare.improvement.point"].create(
            {"name": "Croissants arrive squashed in the box", "partner_id": other.id}
        )
        lead = self.leads[1]
        self.start_tour(
            f"/odoo/crm/{lead.id}",
            "custcare_loop_crm_similar_tour",
            login="tour_seller",
        )
        self.assertEqual(lead.won_status, "lost")
        self.assertIn(lead.partner_id, squashed.partner_ids)
        self.assertEqual(lead.custcare_improvement_point_count, 1)
