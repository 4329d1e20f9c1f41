from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import CustcareCommon


@tagged("post_install", "-at_install")
class TestCampaign(CustcareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tier = cls.env["custcare.tier"].create(
            {"name": "Flour buyers", "interval_number": 1, "interval_type": "months"}
        )
        Partner = cls.env["res.partner"]
        cls.p1 = Partner.create(
            {"name": "Flour Café", "is_company": True, "user_id": cls.rep.id}
        )
        cls.p2 = Partner.create({"name": "Flour Bistro", "is_company": True})
        cls.p3 = Partner.create(
            {"name": "Flour Canteen", "is_company": True, "user_id": cls.rep.id}
        )
        (cls.p1 | cls.p2 | cls.p3).custcare_tier_id = cls.tier
        cls.env.company.custcare_fallback_user_id = cls.manager
        cls.extra = Partner.create({"name": "Walk-in Bakery", "user_id": cls.rep.id})

    def _campaign(self):
        form = Form(self.env(user=self.manager)["custcare.campaign"])
        form.name = "Flour price rise"
        form.effective_date = date(2027, 3, 1)
        form.partner_domain = f"[('custcare_tier_id', '=', {self.tier.id})]"
        form.partner_added_ids.add(self.extra)
        form.partner_removed_ids.add(self.p3)
        return form.save()

    def test_default_plan_is_shipped(self):
        campaign = self._campaign()
        plan = self.env.ref("custcare_loop.mail_activity_plan_change_campaign")
        self.assertEqual(campaign.plan_id, plan)
        self.assertEqual(
            [(t.delay_count, t.delay_from) for t in plan.template_ids],
            [
                (14, "before_plan_date"),
                (7, "before_plan_date"),
                (7, "after_plan_date"),
                (90, "after_plan_date"),
            ],
        )
        self.assertEqual(campaign.target_count, 3)

    def test_launch_creates_the_plan_for_each_customer(self):
        campaign = self._campaign()
        campaign.action_launch()
        self.assertEqual(campaign.state, "running")
        self.assertEqual(campaign.line_ids.partner_id, self.p1 | self.p2 | self.extra)
        activities = self.env["mail.activity"].search(
            [("custcare_campaign_line_id.campaign_id", "=", campaign.id)]
        )
        self.assertEqual(len(activities), 12)
        p1_activities = activities.filtered(lambda a: a.res_id == self.p1.id)
        self.assertEqual(
            sorted(p1_activities.mapped("date_deadline")),
            [date(2027, 2, 15), date(2027, 2, 22), date(2027, 3, 8), date(2027, 5, 30)],
        )
        self.assertEqual(p1_activities.user_id, self.rep)
        # no salesperson: the fallback rep
        p2_activities = activities.filtered(lambda a: a.res_id == self.p2.id)
        self.assertEqual(p2_activities.user_id, self.manager)
        self.assertIn("Call to hear concerns", p1_activities.mapped("summary"))

    def test_relaunch_adds_only_new_customers(self):
        campaign = self._campaign()
        campaign.action_launch()
        campaign.partner_removed_ids = False
        campaign.action_launch()
        self.assertEqual(len(campaign.line_ids), 4)
        activities = self.env["mail.activity"].search(
            [("custcare_campaign_line_id.campaign_id", "=", campaign.id)]
        )
        self.assertEqual(len(activities), 16)
        self.assertEqual(len(activities.filtered(lambda a: a.res_id == self.p1.id)), 4)
        # nothing new: said as a notice, not an error, and nothing is added
        notice = campaign.action_launch()
        self.assertEqual(notice["tag"], "display_notification")
        self.assertIn("nothing new to add", notice["params"]["message"])
        self.assertEqual(len(campaign.line_ids), 4)

    @freeze_time("2027-02-20")
    def test_progress_per_customer(self):
        campaign = self._campaign()
        campaign.action_launch()
        line = campaign.line_ids.filtered(lambda line: line.partner_id == self.p1)
        first_call = line.activity_ids.sorted("date_deadline")[0]
        first_call.with_user(self.rep).action_feedback(feedback="Told them")
        line.invalidate_recordset()
        campaign.invalidate_recordset()
        self.assertEqual(line.activity_done_count, 1)
        self.assertEqual(line.activity_overdue_count, 0)
        self.assertEqual(line.activity_open_count, 3)
        # the samples (due 22 Feb) are not late yet; other customers' calls are
        self.assertEqual(campaign.activity_done_count, 1)
        self.assertEqual(campaign.activity_overdue_count, 2)
        self.assertEqual(campaign.activity_open_count, 9)
        self.assertAlmostEqual(campaign.progress, 100 / 12)

    def test_bad_filter_is_refused_clearly(self):
        campaign = self._campaign()
        before = campaign.partner_domain
        for text in (
            "[('name', '=',",  # not Python
            "1 + 1",  # not a list of conditions
            "[('no_such_field', '=', 1)]",  # not a field of contacts
            "[('name', 'is about', 'x')]",  # not an operator
            "[" * 100_000,  # pasted by mistake
        ):
            with self.assertRaises(ValidationError, msg=text[:30]):
                campaign.partner_domain = text
        self.assertEqual(campaign.partner_domain, before)

    def test_reps_read_managers_launch(self):
        campaign = self._campaign()
        self.assertEqual(campaign.with_user(self.rep).name, "Flour price rise")
        with self.assertRaises(AccessError):
            self.env(user=self.rep)["custcare.campaign"].create(
                {"name": "X", "effective_date": date(2027, 1, 1)}
            )
        with self.assertRaises(AccessError):
            campaign.with_user(self.rep).action_launch()
        with self.assertRaises(AccessError):
            campaign.with_user(self.employee).read(["name"])
