"""The top bar's Proactive Contact group holds proactive contacts only
(issue 18)."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common_week_one import WeekOneCommon


@tagged("post_install", "-at_install")
class TestProactiveContactGroup(WeekOneCommon):
    """The top bar's Proactive Contact group counts and opens proactive
    contacts only; a campaign's call stays under Contact."""

    @freeze_time("2027-06-15 10:00:00")
    def test_the_group_holds_only_proactive_contacts(self):
        proactive = self.env.ref("custcare_loop.mail_activity_type_proactive_contact")
        call = self.env.ref("mail.mail_activity_data_call")
        Partner = self.env["res.partner"]
        planned_with_call = Partner.create(
            {"name": "Fresh & Co", "user_id": self.rep.id}
        )
        late = Partner.create({"name": "Late Lindenhof", "user_id": self.rep.id})
        call_only = Partner.create({"name": "Call Only Café", "user_id": self.rep.id})
        planned_with_call.activity_schedule(
            act_type_xmlid="custcare_loop.mail_activity_type_proactive_contact",
            date_deadline=date(2027, 6, 20),
            user_id=self.rep.id,
        )
        campaign_call = planned_with_call.activity_schedule(
            act_type_xmlid="mail.mail_activity_data_call",
            summary="Call ahead of the change",
            date_deadline=date(2027, 6, 15),
            user_id=self.rep.id,
        )
        late.activity_schedule(
            act_type_xmlid="custcare_loop.mail_activity_type_proactive_contact",
            date_deadline=date(2027, 6, 1),
            user_id=self.rep.id,
        )
        call_only.activity_schedule(
            act_type_xmlid="mail.mail_activity_data_call",
            date_deadline=date(2027, 6, 10),
            user_id=self.rep.id,
        )
        groups = {
            g["name"]: g for g in self.rep.with_user(self.rep)._get_activity_groups()
        }
        group = groups["Proactive Contact"]
        self.assertEqual(
            (group["overdue_count"], group["today_count"], group["planned_count"]),
            (1, 0, 1),
        )
        self.assertEqual(group["total_count"], 1)
        contact = groups["Contact"]
        self.assertEqual(
            (
                contact["overdue_count"],
                contact["today_count"],
                contact["planned_count"],
            ),
            (1, 1, 0),
            "the campaign's calls stay under Contact",
        )
        # opened from the top bar: the proactive contacts, late and today
        action = self.env["ir.actions.act_window"]._for_xml_id(group["custcare_action"])
        domain = safe_eval(action["domain"]) + [
            ("user_id", "=", self.rep.id),
            ("date_deadline", "<=", date(2027, 6, 15)),
        ]
        listed = self.env["mail.activity"].with_user(self.rep).search(domain)
        self.assertEqual(listed.mapped("res_id"), late.ids)
        self.assertNotIn(campaign_call, listed)
        self.assertEqual(listed.activity_type_id, proactive)
        self.assertNotIn(call, listed.activity_type_id)
