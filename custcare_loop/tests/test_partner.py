from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import CustcareCommon


@tagged("post_install", "-at_install")
class TestPartner(CustcareCommon):
    def test_counts_roll_up_to_the_company(self):
        self._create_conversation()
        self._create_conversation(partner_id=self.customer.id)
        self.env(user=self.rep)["custcare.improvement.point"].create(
            {"name": "Bigger loaves", "partner_id": self.contact.id}
        )
        customer = self.customer.with_user(self.rep)
        self.assertEqual(customer.custcare_conversation_count, 2)
        self.assertEqual(customer.custcare_improvement_point_count, 1)
        contact = self.contact.with_user(self.rep)
        self.assertEqual(contact.custcare_conversation_count, 1)

    def test_counts_are_for_customer_care_users_only(self):
        self._create_conversation()
        self.assertEqual(
            self.customer.with_user(self.rep).custcare_conversation_count, 1
        )
        with self.assertRaises(AccessError):
            _ = self.customer.with_user(self.employee).custcare_conversation_count

    def test_smart_buttons_open_the_customer_records(self):
        conversation = self._create_conversation()
        action = self.customer.with_user(self.rep).action_custcare_view_conversations()
        records = (
            self.env[action["res_model"]].with_user(self.rep).search(action["domain"])
        )
        self.assertEqual(records, conversation)
        action = self.customer.with_user(
            self.rep
        ).action_custcare_view_improvement_points()
        self.assertEqual(action["res_model"], "custcare.improvement.point")

    def test_log_a_conversation_from_partner(self):
        action = self.contact.with_user(self.rep).action_custcare_log_conversation()
        self.assertEqual(action["res_model"], "custcare.conversation")
        form = Form(
            self.env(user=self.rep)["custcare.conversation"].with_context(
                **action["context"]
            )
        )
        self.assertEqual(form.partner_id, self.contact)
        form.channel = "visit"
        conversation = form.save()
        self.assertIn(conversation, self.contact.custcare_conversation_ids)

    def test_partner_form_has_customer_care_tab_for_reps_only(self):
        arch = (
            self.env["res.partner"]
            .with_user(self.rep)
            .get_view(view_type="form")["arch"]
        )
        self.assertIn("action_custcare_log_conversation", arch)
        arch = (
            self.env["res.partner"]
            .with_user(self.employee)
            .get_view(view_type="form")["arch"]
        )
        self.assertNotIn("action_custcare_log_conversation", arch)

    def test_the_care_tab_says_the_cadence_and_how_late(self):
        tier = self.env["custcare.tier"].create(
            {"name": "Regular", "interval_number": 2, "interval_type": "weeks"}
        )
        self.assertFalse(self.customer.custcare_cadence_label)
        self.customer.custcare_tier_id = tier
        self.assertEqual(
            self.customer.custcare_cadence_label, "every 2 weeks (Regular)"
        )
        self.customer.write(
            {"custcare_interval_number": 10, "custcare_interval_type": "days"}
        )
        self.assertEqual(
            self.customer.custcare_cadence_label, "every 10 days (own cadence)"
        )
        # a German reader: its nouns keep their capital (not lower() of a label)
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(
            ["custcare_loop"], ["de_DE"], overwrite=True
        )
        self.customer.custcare_interval_type = "weeks"
        german = self.customer.with_context(lang="de_DE").custcare_cadence_label
        self.assertIn("alle 10 Wochen", german)
        self.customer.custcare_interval_type = "days"
        self.customer.custcare_care_start_date = fields.Date.today() - timedelta(
            days=30
        )
        self.customer.custcare_last_contact_date = fields.Date.today() - timedelta(
            days=14
        )
        self.assertEqual(self.customer.custcare_days_overdue, 4)
