from datetime import date

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install")
class TestOverdueInvoices(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Acme Bakery", "is_company": True, "email": "acme@example.com"}
        )
        cls.accountant = new_test_user(
            cls.env,
            login="custcare_accountant",
            name="Ada Accountant",
            groups="account.group_account_invoice",
        )

    def _invoice(self, due, amount=100.0, post=True):
        invoice = self.init_invoice(
            "out_invoice",
            partner=self.customer,
            invoice_date=date(2027, 1, 1),
            amounts=[amount],
            post=False,
        )
        invoice.invoice_date_due = due
        if post:
            invoice.action_post()
        return invoice

    def _reasons(self):
        # health is read by Customer Care users; the invoicing test user is not
        customer = self.customer.sudo()
        customer._custcare_refresh_health()
        return customer.custcare_health_reasons or ""

    @freeze_time("2027-03-01")
    def test_an_overdue_invoice_is_a_reason_with_its_days(self):
        self._invoice(date(2027, 2, 14))
        self.assertIn("1 invoice overdue by 15 days", self._reasons())
        self._invoice(date(2027, 2, 20))
        self.assertIn("2 invoices overdue, the oldest by 15 days", self._reasons())
        self.assertEqual(self.customer.sudo().custcare_health, 80)

    @freeze_time("2027-03-01")
    def test_what_is_not_overdue(self):
        # not yet due, a draft, a paid one
        self._invoice(date(2027, 3, 15))
        self._invoice(date(2027, 2, 1), post=False)
        paid = self._invoice(date(2027, 2, 1))
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=paid.ids
        ).create({})._create_payments()
        self.assertNotIn("overdue", self._reasons())

    @freeze_time("2027-03-01")
    def test_the_weight_is_set_per_company(self):
        self._invoice(date(2027, 2, 14))
        self.env.company.custcare_health_overdue_invoice_weight = 0
        self.assertNotIn("overdue", self._reasons())
        self.assertEqual(self.customer.sudo().custcare_health, 100)

    @freeze_time("2027-03-01 12:00:00")
    def test_a_message_to_the_customer_on_an_invoice_is_a_contact(self):
        self.customer.custcare_interval_number = 1
        invoice = self._invoice(date(2027, 3, 31))
        invoice.with_user(self.accountant).message_post(
            body="Here is your invoice",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.customer.ids,
        )
        self.assertEqual(
            self.customer.sudo().custcare_last_contact_date, date(2027, 3, 1)
        )
