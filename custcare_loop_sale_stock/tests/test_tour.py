from datetime import datetime, timedelta

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDelayReasonTour(HttpCase):
    def test_a_user_moves_a_delivery_and_says_why(self):
        new_test_user(
            self.env,
            login="tour_stock",
            password="tour_stock",
            name="Stan Stock",
            # a warehouse worker: no right on the sale order
            groups="stock.group_stock_user",
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour Delivery Customer", "email": "tour@example.com"}
        )
        product = self.env["product.product"].create(
            {"name": "Tour loaf", "type": "consu"}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "commitment_date": datetime.now().replace(microsecond=0)
                + timedelta(days=3),
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 1})
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        # the tour moves it to 31 December 2030, well past the promise
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{picking.id}",
            "custcare_loop_sale_stock_delay_tour",
            login="tour_stock",
        )
        self.assertEqual(picking.custcare_delay_reason, "The flour mill is late")
        self.assertTrue(picking.custcare_delay_pending, "the customer is told")
