"""Reports open where people read them (issue 18): Praise opens as a list
of what customers praised (then kanban and pivot); Temperature over Time
draws each customer's months, and the demo gives it months to draw."""

from lxml import etree

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestReportsTell(TransactionCase):
    def _default_view(self, action_xmlid):
        action = self.env.ref(action_xmlid)
        view_type = action.view_mode.split(",")[0]
        arch = self.env[action.res_model].get_view(view_type=view_type)["arch"]
        return action, view_type, etree.fromstring(arch)

    def test_praise_opens_as_a_list_of_the_words(self):
        action, view_type, arch = self._default_view(
            "custcare_loop.custcare_praise_action"
        )
        self.assertEqual(view_type, "list")
        self.assertEqual(action.view_mode, "list,kanban,pivot")
        self.assertNotIn("group", action.context or "", "the words are not folded away")
        self.assertTrue(
            arch.xpath("//field[@name='name']"), "the praise text is a column"
        )
        kanban = etree.fromstring(
            self.env["custcare.praise"].get_view(view_type="kanban")["arch"]
        )
        self.assertTrue(kanban.xpath("//field[@name='name']"))

    def test_temperature_over_time_draws_months_per_customer(self):
        _action, view_type, arch = self._default_view(
            "custcare_loop.custcare_temperature_log_action"
        )
        self.assertEqual(view_type, "graph")
        [date] = arch.xpath("//field[@name='date']")
        self.assertEqual(date.get("interval"), "month")
        self.assertTrue(arch.xpath("//field[@name='commercial_partner_id']"))

    def test_the_demo_tells_a_story_over_months(self):
        if not self.env.ref("custcare_loop.temperature_log_lindenhof_6m", False):
            self.skipTest("no demo data")
        groups = self.env["custcare.temperature.log"]._read_group(
            [], ["commercial_partner_id", "date:month"], ["temperature_value:avg"]
        )
        months = {month for _customer, month, _avg in groups}
        self.assertGreaterEqual(len(months), 6, "half a year, not one week")
        per_customer = {}
        for customer, _month, _avg in groups:
            per_customer[customer] = per_customer.get(customer, 0) + 1
        curves = [c for c, n in per_customer.items() if n >= 4]
        self.assertGreaterEqual(len(curves), 3, "several customers have a curve")
        # Café Lindenhof cooled down: hot half a year ago, calm now
        lindenhof = self.env.ref("custcare_loop.partner_lindenhof")
        values = [
            avg
            for customer, _month, avg in sorted(groups, key=lambda g: g[1])
            if customer == lindenhof
        ]
        self.assertGreater(values[0], values[-1])
