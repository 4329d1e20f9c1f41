from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.custcare_loop.tests.common import CustcareCommon


class DeliveryCommon(CustcareCommon):
    @classmethod
    def default_env_context(cls):
        return {"no_reset_password": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "orders@acme-bakery.example.com"
        cls.env.company.email = "care@example.com"
        cls.seller = new_test_user(
            cls.env,
            login="custcare_seller",
            name="Sam Seller",
            email="sam@example.com",
            groups="sales_team.group_sale_salesman,stock.group_stock_user",
        )
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Vince Vendor", "email": "vince@flour-mill.example.com"}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Rye sourdough", "type": "consu", "list_price": 3.0}
        )

    def _order(self, promised=datetime(2027, 3, 10, 6, 0), customer=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": (customer or self.customer).id,
                "user_id": self.seller.id,
                "commitment_date": promised,
                "order_line": [
                    (0, 0, {"product_id": self.product.id, "product_uom_qty": 4})
                ],
            }
        )
        order.action_confirm()
        return order

    def _notices(self, order, subject):
        return order.message_ids.filtered(lambda m: subject in (m.subject or ""))

    def _run_watch(self):
        with self.enter_registry_test_mode():
            self.assertIs(
                self.env.ref(
                    "custcare_loop_sale_stock.ir_cron_custcare_delivery_watch"
                ).method_direct_trigger(),
                True,
            )
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
@freeze_time("2027-03-01 09:00:00")
class TestDeliveryMoved(DeliveryCommon):
    def test_moved_past_the_promise_tells_the_customer_only_once(self):
        order = self._order()
        picking = order.picking_ids
        self.assertEqual(picking.date_deadline, datetime(2027, 3, 10, 6, 0))
        # the vendor is in CC, the salesperson follows the order
        order.message_subscribe(self.vendor.ids)
        triggers = self.env["ir.cron.trigger"].search_count([])
        picking.with_user(self.seller).write(
            {
                "scheduled_date": datetime(2027, 3, 12, 6, 0),
                "custcare_delay_reason": "The rye flour reaches the mill late",
            }
        )
        self.assertTrue(picking.custcare_delay_pending)
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([]), triggers, "told at once"
        )
        self._run_watch()
        notice = self._notices(order, "New delivery date")
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.partner_ids, self.customer)
        self.assertEqual(notice.notified_partner_ids, self.customer)
        self.assertIn(order.name, notice.subject)
        self.assertIn("03/12/2027", notice.body)
        self.assertIn("03/10/2027", notice.body)
        self.assertIn("The rye flour reaches the mill late", notice.body)
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "sale.order"),
                ("res_id", "=", order.id),
                ("subject", "ilike", "New delivery date"),
            ]
        )
        self.assertEqual(
            set(mails.recipient_ids.mapped("email")), {self.customer.email}
        )
        self.assertFalse(picking.custcare_delay_pending)
        self.assertEqual(
            picking.custcare_delay_notified_date, datetime(2027, 3, 12, 6, 0)
        )
        # the same day again, or earlier but still late: nobody
        picking.write({"scheduled_date": datetime(2027, 3, 12, 15, 0)})
        picking.write({"scheduled_date": datetime(2027, 3, 11, 6, 0)})
        self._run_watch()
        self.assertEqual(len(self._notices(order, "New delivery date")), 1)
        # later again: a new date, told again
        picking.write({"scheduled_date": datetime(2027, 3, 14, 6, 0)})
        self._run_watch()
        self.assertEqual(len(self._notices(order, "New delivery date")), 2)

    def test_within_the_promise_or_earlier_tells_nobody(self):
        order = self._order()
        picking = order.picking_ids
        picking.write({"scheduled_date": datetime(2027, 3, 9, 6, 0)})
        picking.write({"scheduled_date": datetime(2027, 3, 10, 18, 0)})
        self.assertFalse(picking.custcare_delay_pending)
        self._run_watch()
        self.assertFalse(self._notices(order, "New delivery date"))

    def test_without_a_promised_date_nobody_is_told(self):
        order = self._order(promised=False)
        order.picking_ids.write({"scheduled_date": datetime(2027, 6, 1, 6, 0)})
        self.assertFalse(order.picking_ids.custcare_delay_pending)

    def test_a_truck_breaks_down_one_notice_per_customer_and_order(self):
        orders = self.env["sale.order"]
        for _ in range(5):
            orders |= self._order()
        # a second delivery of the first order (a split, a backorder)
        first = orders[0]
        first.picking_ids.copy()
        self.assertEqual(len(first.picking_ids), 2)
        pickings = orders.picking_ids
        self.assertEqual(len(pickings), 6)
        pickings.with_user(self.seller).write(
            {"scheduled_date": datetime(2027, 3, 13, 6, 0)}
        )
        self._run_watch()
        for order in orders:
            self.assertEqual(len(self._notices(order, "New delivery date")), 1)

    def test_a_customer_without_email_becomes_a_call(self):
        self.customer.email = False
        order = self._order()
        order.picking_ids.write({"scheduled_date": datetime(2027, 3, 12, 6, 0)})
        self._run_watch()
        self.assertFalse(self._notices(order, "New delivery date"))
        call = order.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(call.user_id, self.seller)

    @mute_logger("odoo.addons.custcare_loop.utils.cron_isolation")
    def test_one_failing_order_does_not_stop_the_others(self):
        bad, good = self._order(), self._order()
        (bad | good).picking_ids.write({"scheduled_date": datetime(2027, 3, 12, 6, 0)})
        SaleOrder = type(self.env["sale.order"])
        original = SaleOrder._custcare_notify_customer

        def notify(order, *args, **kwargs):
            if order == bad:
                raise ValueError("broken template")
            return original(order, *args, **kwargs)

        with patch.object(SaleOrder, "_custcare_notify_customer", notify):
            self._run_watch()
        self.assertTrue(self._notices(good, "New delivery date"))
        self.assertFalse(self._notices(bad, "New delivery date"))
        self.assertTrue(bad.picking_ids.custcare_delay_pending, "left for the next run")
        self._run_watch()
        self.assertTrue(self._notices(bad, "New delivery date"))


@tagged("post_install", "-at_install")
class TestDeliveryLate(DeliveryCommon):
    def test_a_delivery_not_done_on_the_promised_day_is_told_once(self):
        with freeze_time("2027-03-01 09:00:00"):
            order = self._order(promised=datetime(2027, 3, 10, 6, 0))
        with freeze_time("2027-03-10 20:00:00"):
            self._run_watch()
            self.assertFalse(self._notices(order, "is late"), "the day is not over")
        with freeze_time("2027-03-11 09:00:00"):
            self._run_watch()
            self._run_watch()
        late = self._notices(order, "is late")
        self.assertEqual(len(late), 1)
        self.assertEqual(late.partner_ids, self.customer)
        self.assertIn("as soon as we know it", late.body, "no date passed is given")
        # then the new date is known: told once, as a new date
        with freeze_time("2027-03-11 10:00:00"):
            order.picking_ids.write({"scheduled_date": datetime(2027, 3, 13, 6, 0)})
            self._run_watch()
            self._run_watch()
        moved = self._notices(order, "New delivery date")
        self.assertEqual(len(moved), 1)
        self.assertIn("03/13/2027", moved.body)
        self.assertEqual(len(self._notices(order, "is late")), 1)

    def test_a_backorder_carries_what_the_customer_was_told(self):
        with freeze_time("2027-03-01 09:00:00"):
            order = self._order(promised=datetime(2027, 3, 10, 6, 0))
            picking = order.picking_ids
            picking.write({"scheduled_date": datetime(2027, 3, 12, 6, 0)})
            self._run_watch()
            self.assertEqual(len(self._notices(order, "New delivery date")), 1)
            # 3 of the 4 leave now, the rest in a backorder
            picking.move_ids.quantity = 3
            picking.move_ids.picked = True
            action = picking.button_validate()
            Form(
                self.env[action["res_model"]].with_context(**action["context"])
            ).save().process()
            backorder = order.picking_ids - picking
            self.assertEqual(len(backorder), 1)
            self.assertEqual(
                backorder.custcare_delay_notified_date, datetime(2027, 3, 12, 6, 0)
            )
            # the day the customer was told of: nothing new
            backorder.write({"scheduled_date": datetime(2027, 3, 12, 9, 0)})
            self._run_watch()
            self.assertEqual(len(self._notices(order, "New delivery date")), 1)
            # what it carries moves later: told, once
            backorder.write({"scheduled_date": datetime(2027, 3, 16, 6, 0)})
            self._run_watch()
            self._run_watch()
            self.assertEqual(len(self._notices(order, "New delivery date")), 2)

    def test_moved_once_late_tells_the_new_date_not_late_again(self):
        with freeze_time("2027-03-01 09:00:00"):
            order = self._order(promised=datetime(2027, 3, 10, 6, 0))
            order.picking_ids.write({"scheduled_date": datetime(2027, 3, 13, 6, 0)})
            self._run_watch()
        with freeze_time("2027-03-11 09:00:00"):
            self._run_watch()
        self.assertEqual(len(self._notices(order, "New delivery date")), 1)
        self.assertFalse(self._notices(order, "is late"))

    def test_done_in_time_is_on_time_and_late_is_a_health_reason(self):
        with freeze_time("2027-03-01 09:00:00"):
            on_time = self._order(promised=datetime(2027, 3, 10, 6, 0))
            late = self._order(promised=datetime(2027, 3, 5, 6, 0))
        with freeze_time("2027-03-08 09:00:00"):
            for order in on_time | late:
                picking = order.picking_ids
                picking.move_ids.quantity = 4
                picking.move_ids.picked = True
                picking.button_validate()
            self.assertEqual(on_time.picking_ids.custcare_on_time, "on_time")
            self.assertEqual(late.picking_ids.custcare_on_time, "late")
            self.customer._custcare_refresh_health()
            self.assertIn(
                "1 delivery late in the last 90 days",
                self.customer.custcare_health_reasons,
            )
            rate = self.env["stock.picking"]._read_group(
                [("id", "in", (on_time | late).picking_ids.ids)],
                [],
                ["custcare_on_time_rate:avg"],
            )[0][0]
            self.assertEqual(rate, 50.0)
            self.env.company.custcare_health_late_delivery_weight = 0
            self.customer._custcare_refresh_health()
            self.assertNotIn(
                "delivery late", self.customer.custcare_health_reasons or ""
            )

    @freeze_time("2027-03-01 12:00:00")
    def test_a_message_to_the_customer_on_an_order_or_a_delivery_is_a_contact(self):
        self.customer.custcare_interval_number = 1
        order = self._order()
        order.with_user(self.seller).message_post(
            body="Your order is confirmed",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.customer.ids,
        )
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 3, 1))
        self.customer.custcare_last_contact_date = False
        order.picking_ids.with_user(self.seller).message_post(
            body="Your delivery leaves tomorrow",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.customer.ids,
        )
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 3, 1))


# what a customer of each shipped language reads: the subject of the "delivery
# moved" notice, a sentence of it, the new and the promised day (12 and 10 March
# 2027) in the language's date format, and the "delivery late" notice's sentence
# when no new date is known yet
TRANSLATED_NOTICES = {
    "fr_FR": {
        "moved_subject": "Nouvelle date de livraison pour votre commande",
        "moved": "Elle sera désormais livrée le",
        "days": ("12/03/2027", "10/03/2027"),
        "late_subject": "est en retard",
        "late": "Nous vous communiquerons la nouvelle date dès que nous la connaîtrons",
    },
    "nl_NL": {
        "moved_subject": "Nieuwe leverdatum voor uw bestelling",
        "moved": "kunnen die datum niet halen",
        "days": ("12-03-2027", "10-03-2027"),
        "late_subject": "heeft vertraging",
        "late": "We laten u de nieuwe datum weten zodra we die kennen.",
    },
    "de_DE": {
        "moved_subject": "Neuer Liefertermin für Ihren Auftrag",
        "moved": "können diesen Termin",
        "days": ("12.03.2027", "10.03.2027"),
        "late_subject": "verspätet sich",
        "late": "Wir teilen Ihnen den neuen Termin mit, sobald wir ihn kennen.",
    },
    "es_ES": {
        "moved_subject": "Nueva fecha de entrega de su pedido",
        "moved": "Ahora se entregará el",
        "days": ("12/03/2027", "10/03/2027"),
        "late_subject": "lleva retraso",
        "late": "Le comunicaremos la nueva fecha en cuanto la sepamos.",
    },
}


@tagged("post_install", "-at_install")
class TestDeliveryNoticeTranslated(DeliveryCommon):
    """A French, Dutch, German and Spanish customer each read the delivery
    notices in their language, with the days as their language writes them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        langs = list(TRANSLATED_NOTICES)
        for code in langs:
            cls.env["res.lang"]._activate_lang(code)
        # as installing the languages does: our translations, overwriting
        cls.env["ir.module.module"]._load_module_terms(
            ["custcare_loop", "custcare_loop_sale_stock"], langs, overwrite=True
        )

    def _customer(self, lang):
        return self.env["res.partner"].create(
            {
                "name": f"Customer {lang}",
                "email": f"orders.{lang.lower()}@example.com",
                "lang": lang,
            }
        )

    def _notice_to(self, order, customer):
        notice = order.message_ids.filtered(lambda m: customer in m.partner_ids)
        self.assertEqual(len(notice), 1)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", notice.id)])
        self.assertEqual(mail.recipient_ids, customer)
        return notice, mail

    @freeze_time("2027-03-01 09:00:00")
    def test_delivery_moved_in_the_customers_language(self):
        for lang, expected in TRANSLATED_NOTICES.items():
            with self.subTest(lang=lang):
                customer = self._customer(lang)
                order = self._order(customer=customer)
                order.picking_ids.write(
                    {
                        "scheduled_date": datetime(2027, 3, 12, 6, 0),
                        "custcare_delay_reason": "Le seigle arrive en retard",
                    }
                )
                self._run_watch()
                notice, mail = self._notice_to(order, customer)
                self.assertEqual(
                    notice.subject, f"{expected['moved_subject']} {order.name}"
                )
                for body in (notice.body, mail.body_html):
                    self.assertIn(expected["moved"], body)
                    self.assertNotIn("It will now be delivered on", body)
                    self.assertNotIn("We are sorry for the wait", body)
                    for day in expected["days"]:
                        self.assertIn(day, body)
                    self.assertIn(order.name, body)
                    self.assertIn("Le seigle arrive en retard", body)

    def test_delivery_late_in_the_customers_language(self):
        for lang, expected in TRANSLATED_NOTICES.items():
            with self.subTest(lang=lang):
                customer = self._customer(lang)
                with freeze_time("2027-03-01 09:00:00"):
                    order = self._order(
                        promised=datetime(2027, 3, 10, 6, 0), customer=customer
                    )
                with freeze_time("2027-03-11 09:00:00"):
                    self._run_watch()
                notice, mail = self._notice_to(order, customer)
                self.assertIn(order.name, notice.subject)
                self.assertIn(expected["late_subject"], notice.subject)
                for body in (notice.body, mail.body_html):
                    self.assertIn(expected["late"], body)
                    self.assertIn(expected["days"][1], body)
                    self.assertNotIn("as soon as we know it", body)
