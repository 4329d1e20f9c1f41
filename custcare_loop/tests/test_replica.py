from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestReadOnlyCalls(HttpCase):
    """What the web client calls only to read is declared read-only: Odoo
    19 serves it from a replica when one is configured (db_replica_host)."""

    READ_ONLY = {
        "custcare.competitor": ["action_view_mentions"],
        "custcare.competitor.mention": ["action_open_source"],
        "custcare.conversation": [
            "action_custcare_close_with_point",
            "action_close_with_point",
            "action_view_improvement_points",
        ],
        "custcare.campaign": ["action_view_lines"],
        "custcare.tier": ["action_view_partners"],
        "res.partner": [
            "action_custcare_view_conversations",
            "action_custcare_view_improvement_points",
            "action_custcare_log_conversation",
        ],
        "helpdesk.ticket": [
            "action_custcare_close_with_point",
            "action_custcare_view_improvement_points",
        ],
    }

    def test_openers_are_read_only(self):
        for model, methods in self.READ_ONLY.items():
            for name in methods:
                method = getattr(type(self.env[model]), name)
                self.assertTrue(getattr(method, "_readonly", False), f"{model}.{name}")

    def test_a_button_that_opens_is_served_on_a_read_only_cursor(self):
        """Through the web client's own route: a write there would be
        retried on the primary, with a logged warning."""
        new_test_user(
            self.env,
            login="replica_agent",
            password="replica_agent",
            groups="helpdesk_mgmt.group_helpdesk_user",
        )
        partner = self.env["res.partner"].create({"name": "Replica customer"})
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Replica", "description": "<p>x</p>", "partner_id": partner.id}
        )
        self.authenticate("replica_agent", "replica_agent")
        with self.assertNoLogs("odoo.http", level="WARNING"):
            result = self.make_jsonrpc_request(
                "/web/dataset/call_button/helpdesk.ticket/"
                "action_custcare_view_improvement_points",
                {
                    "model": "helpdesk.ticket",
                    "method": "action_custcare_view_improvement_points",
                    "args": [[ticket.id]],
                    "kwargs": {},
                },
            )
        self.assertEqual(result["res_model"], "custcare.improvement.point")
