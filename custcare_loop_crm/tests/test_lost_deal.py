from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.custcare_loop.exceptions import MissingImprovementPoint
from odoo.addons.custcare_loop.tests.common import CustcareCommon


class LostDealCommon(CustcareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a salesperson who is not a Customer Care user: the lowest rights
        # that may lose a deal
        cls.seller = new_test_user(
            cls.env,
            login="custcare_seller",
            name="Sam Seller",
            groups="sales_team.group_sale_salesman",
        )
        cls.competitor = cls.env["custcare.competitor"].create(
            {"name": "Crumb Rivals Test Bakery"}
        )
        cls.ask_point = cls.env.ref("custcare_loop.mail_activity_type_ask_point")
        # a sales rep who is a Customer Care user too
        cls.seller_rep = new_test_user(
            cls.env,
            login="custcare_seller_rep",
            name="Ria Seller",
            groups="sales_team.group_sale_salesman,custcare_loop.group_custcare_user",
        )

    def _opportunity(self, user=None, **vals):
        return self.env(user=user or self.seller)["crm.lead"].create(
            {
                "name": "Breakfast pastries contract",
                "type": "opportunity",
                "partner_id": self.contact.id,
                "user_id": self.seller.id,
                **vals,
            }
        )

    def _mark_lost(self, leads, user=None, **vals):
        wizard = Form(
            self.env(user=user or self.seller)["crm.lead.lost"].with_context(
                default_lead_ids=leads.ids
            )
        )
        for name, value in vals.items():
            setattr(wizard, name, value)
        return wizard.save().action_lost_reason_apply()


@tagged("post_install", "-at_install")
class TestLostDeal(LostDealCommon):
    def test_a_person_cannot_lose_a_deal_without_a_point_by_any_path(self):
        lead = self._opportunity()
        as_seller = lead.with_user(self.seller)
        with self.assertRaises(MissingImprovementPoint) as caught:
            as_seller.action_set_lost()
        self.assertIn(
            "cannot be lost without an improvement point", str(caught.exception)
        )
        self.assertEqual(caught.exception.context["custcare_res_id"], lead.id)
        # archiving an opportunity at probability 0 loses it too
        with self.assertRaises(UserError):
            as_seller.write({"probability": 0, "active": False})
        # the list action on many
        other = self._opportunity(name="Second")
        with self.assertRaises(UserError):
            (lead | other).with_user(self.seller).action_set_lost()
        # an administrator is a person too
        with self.assertRaises(UserError):
            lead.with_user(self.env.ref("base.user_admin")).action_set_lost()
        lead.invalidate_recordset()
        self.assertEqual(lead.won_status, "pending")
        self.assertTrue(lead.active)
        # archiving without losing (probability kept) is not a loss
        as_seller.action_archive()
        self.assertEqual(lead.won_status, "pending")

    def test_importing_a_lost_opportunity_is_refused(self):
        lead = self._opportunity()
        self.env["ir.model.data"].create(
            {
                "module": "__import__",
                "name": "lead_x",
                "model": "crm.lead",
                "res_id": lead.id,
            }
        )
        result = self.env(user=self.seller)["crm.lead"].load(
            ["id", "probability", "active"], [["__import__.lead_x", "0", "False"]]
        )
        self.assertFalse(result["ids"])
        self.assertIn("without an improvement point", result["messages"][0]["message"])

    def test_leads_not_yet_qualified_are_not_gated(self):
        lead = self._opportunity(type="lead")
        lead.with_user(self.seller).action_set_lost()
        self.assertEqual(lead.won_status, "lost")
        self.assertFalse(lead.custcare_point_owed)

    def test_the_dialog_records_the_customers_words_and_who_won(self):
        lead = self._opportunity()
        self._mark_lost(
            lead,
            custcare_point="Your first round reaches us too late for breakfast.",
            custcare_aspect_id=self.aspect_delivery,
            custcare_competitor_id=self.competitor,
        )
        self.assertEqual(lead.won_status, "lost")
        point = self.env["custcare.improvement.point"].search(
            [("lead_id", "=", lead.id)]
        )
        self.assertEqual(len(point), 1)
        self.assertEqual(point.partner_id, self.customer, "the customer company")
        self.assertEqual(point.raised_by, "customer")
        self.assertEqual(point.aspect_id, self.aspect_delivery)
        self.assertEqual(
            point.customer_words, "Your first round reaches us too late for breakfast."
        )
        self.assertEqual(point.user_id, self.seller)
        mention = self.env["custcare.competitor.mention"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        )
        self.assertEqual(mention.competitor_id, self.competitor)
        self.assertEqual(mention.partner_id, self.customer)
        self.assertEqual(mention.source, "lost_deal")
        self.assertEqual(lead.custcare_competitor_id, self.competitor)
        self.assertEqual(lead.custcare_lost_aspect_id, self.aspect_delivery)
        self.assertEqual(lead.custcare_improvement_point_count, 1)
        self.assertEqual(self.customer.custcare_competitor_mention_count, 1)

    def test_the_point_is_required_until_the_deal_has_one(self):
        lead = self._opportunity()
        wizard = self.env(user=self.seller)["crm.lead.lost"].create(
            {"lead_ids": [(6, 0, lead.ids)]}
        )
        self.assertTrue(wizard.custcare_point_required)
        with self.assertRaisesRegex(UserError, "what the customer said"):
            wizard.action_lost_reason_apply()
        self.assertEqual(lead.won_status, "pending")
        self.env(user=self.rep)["custcare.improvement.point"].create(
            {"name": "Call first", "partner_id": self.contact.id, "lead_id": lead.id}
        )
        wizard = self.env(user=self.seller)["crm.lead.lost"].create(
            {"lead_ids": [(6, 0, lead.ids)]}
        )
        self.assertFalse(wizard.custcare_point_required)
        wizard.action_lost_reason_apply()
        self.assertEqual(lead.won_status, "lost")

    def test_several_opportunities_at_once_one_point_each(self):
        leads = self._opportunity() | self._opportunity(name="Second")
        self._mark_lost(leads, custcare_point="Too expensive for us")
        self.assertEqual(set(leads.mapped("won_status")), {"lost"})
        for lead in leads:
            self.assertEqual(lead.custcare_improvement_point_count, 1)

    def test_restoring_keeps_the_points(self):
        lead = self._opportunity()
        self._mark_lost(lead, custcare_point="Too expensive for us")
        lead.with_user(self.seller).action_restore()
        self.assertEqual(lead.won_status, "pending")
        self.assertEqual(lead.custcare_improvement_point_count, 1)
        # lost again: the point it has is enough
        lead.with_user(self.seller).action_set_lost()
        self.assertEqual(lead.won_status, "lost")

    def test_same_as_joins_the_existing_point(self):
        existing = self.env(user=self.rep)["custcare.improvement.point"].create(
            {
                "name": "Deliveries arrive too late",
                "partner_id": self.vendor_partner().id,
            }
        )
        lead = self._opportunity(user=self.seller_rep, user_id=self.seller_rep.id)
        self._mark_lost(
            lead,
            user=self.seller_rep,
            custcare_point="Deliveries arrive late",
            custcare_same_as_id=existing,
        )
        self.assertIn(self.customer, existing.partner_ids)
        self.assertEqual(lead.custcare_improvement_point_count, 1)

    def vendor_partner(self):
        return self.env["res.partner"].create({"name": "Other customer"})

    def test_the_refusal_offers_mark_as_lost(self):
        lead = self._opportunity()
        action = lead.with_user(self.seller).action_custcare_close_with_point()
        self.assertEqual(action["res_model"], "crm.lead.lost")
        self.assertEqual(action["context"]["default_lead_ids"], lead.ids)
        # it only opens a dialog: read-only (served from a replica if any)
        Lead = type(self.env["crm.lead"])
        self.assertTrue(Lead.action_custcare_close_with_point._readonly)
        self.assertTrue(Lead.action_custcare_view_improvement_points._readonly)

    def test_the_system_loses_a_deal_and_owes_a_point(self):
        lead = self._opportunity()
        lead.sudo().action_set_lost()
        self.assertEqual(lead.won_status, "lost")
        self.assertTrue(lead.custcare_point_owed)
        ask = lead.activity_ids.filtered(lambda a: a.activity_type_id == self.ask_point)
        self.assertEqual(ask.user_id, self.seller)
        self.env(user=self.rep)["custcare.improvement.point"].create(
            {"name": "Too expensive", "partner_id": self.contact.id, "lead_id": lead.id}
        )
        lead.invalidate_recordset()
        self.assertFalse(lead.custcare_point_owed)
        self.assertFalse(
            lead.activity_ids.filtered(lambda a: a.activity_type_id == self.ask_point)
        )

    @freeze_time("2027-06-10 12:00:00")
    def test_a_deal_lost_in_the_last_90_days_is_a_health_reason(self):
        old = self._opportunity(name="Old one")
        self._mark_lost(old, custcare_point="Too expensive")
        old.sudo().date_closed = datetime(2027, 1, 2, 10, 0)
        self.customer._custcare_refresh_health()
        self.assertNotIn("deal lost", self.customer.custcare_health_reasons or "")
        lead = self._opportunity()
        self._mark_lost(lead, custcare_point="Too expensive")
        self.customer._custcare_refresh_health()
        self.assertIn(
            "1 deal lost in the last 90 days", self.customer.custcare_health_reasons
        )

    def test_the_timeline_shows_deals_won_and_lost(self):
        mine = {"user": self.seller_rep, "user_id": self.seller_rep.id}
        lost = self._opportunity(name="Pastries lost", **mine)
        self._mark_lost(
            lost,
            user=self.seller_rep,
            custcare_point="Too expensive",
            custcare_competitor_id=self.competitor,
        )
        won = self._opportunity(name="Bread won", **mine)
        won.with_user(self.seller_rep).action_set_won()
        timeline = self.customer.with_user(self.seller_rep)._custcare_timeline_items()
        kinds = {(item["kind"], item["title"]) for item in timeline}
        self.assertIn(("Deal lost", "Pastries lost"), kinds)
        self.assertIn(("Deal won", "Bread won"), kinds)
        detail = next(i["detail"] for i in timeline if i["title"] == "Pastries lost")
        self.assertIn("Crumb Rivals Test Bakery", detail)
        # a rep without CRM rights sees no deal
        timeline = self.customer.with_user(self.rep)._custcare_timeline_items()
        self.assertFalse(
            [i for i in timeline if i["kind"] in ("Deal lost", "Deal won")]
        )

    @freeze_time("2027-03-01 12:00:00")
    def test_a_salespersons_message_to_the_customer_is_a_contact(self):
        self.customer.custcare_interval_number = 1
        self.contact.email = "ann@acme-bakery.example.com"
        lead = self._opportunity()
        lead.with_user(self.seller).message_post(
            body="Here is our offer",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.contact.ids,
        )
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 3, 1))
