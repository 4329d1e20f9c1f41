from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.custcare_loop.exceptions import MissingImprovementPoint

from .common import CustcareCommon


@tagged("post_install", "-at_install")
class TestTicketClosing(CustcareCommon):
    def _add_point(self, ticket, user=None):
        return self.env(user=user or self.agent)["custcare.improvement.point"].create(
            {
                "name": "Warn us of late orders",
                "partner_id": self.contact.id,
                "ticket_id": ticket.id,
            }
        )

    def test_stage_defaults(self):
        self.assertTrue(self.stage_done.custcare_require_improvement_point)
        self.assertTrue(self.stage_done.custcare_resolved)
        self.assertTrue(self.stage_cancelled.custcare_require_improvement_point)
        self.assertFalse(self.stage_cancelled.custcare_resolved)
        self.assertFalse(self.stage_rejected.custcare_require_improvement_point)
        self.assertFalse(self.stage_rejected.custcare_resolved)
        # a new closed stage requires a point unless it opts out
        stage = self.env["helpdesk.ticket.stage"].create(
            {"name": "Closed", "closed": True}
        )
        self.assertTrue(stage.custcare_require_improvement_point)

    def test_done_without_point_is_refused(self):
        """A helpdesk agent dragging a ticket to Done (kanban, list, RPC)."""
        ticket = self._create_ticket()
        with self.assertRaises(UserError) as error:
            ticket.write({"stage_id": self.stage_done.id})
        self.assertIn("without an improvement point", str(error.exception))
        self.assertIn("Add Point & Close", str(error.exception))
        ticket.invalidate_recordset()
        self.assertEqual(ticket.stage_id, self.stage_new)

    def test_done_with_point(self):
        ticket = self._create_ticket()
        self._add_point(ticket)
        self.assertEqual(ticket.custcare_improvement_point_count, 1)
        ticket.write({"stage_id": self.stage_done.id})
        self.assertTrue(ticket.closed)
        # reopening needs nothing
        ticket.write({"stage_id": self.stage_new.id})
        self.assertFalse(ticket.closed)

    def test_cancelled_requires_rejected_does_not(self):
        ticket = self._create_ticket()
        with self.assertRaises(UserError):
            ticket.write({"stage_id": self.stage_cancelled.id})
        ticket.write({"stage_id": self.stage_rejected.id})
        self.assertTrue(ticket.closed)

    def test_stage_can_opt_out(self):
        self.stage_cancelled.custcare_require_improvement_point = False
        ticket = self._create_ticket()
        ticket.write({"stage_id": self.stage_cancelled.id})
        self.assertTrue(ticket.closed)

    def test_open_stage_never_requires(self):
        stage = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        self.assertTrue(stage.custcare_require_improvement_point)
        ticket = self._create_ticket()
        ticket.write({"stage_id": stage.id})
        self.assertEqual(ticket.stage_id, stage)

    def test_list_multi_edit_refused_if_one_lacks_point(self):
        with_point = self._create_ticket()
        self._add_point(with_point)
        without_point = self._create_ticket(name="Stale bread")
        with self.assertRaises(UserError):
            (with_point | without_point).write({"stage_id": self.stage_done.id})
        with_point.invalidate_recordset()
        self.assertEqual(with_point.stage_id, self.stage_new)

    def test_create_in_done_is_refused(self):
        with self.assertRaises(UserError):
            self._create_ticket(stage_id=self.stage_done.id)

    def test_import_into_done_is_refused(self):
        ticket = self._create_ticket()
        result = self.env(user=self.agent)["helpdesk.ticket"].load(
            ["id", "stage_id/.id"],
            [
                [
                    ticket.get_external_id().get(ticket.id) or self._xmlid(ticket),
                    str(self.stage_done.id),
                ]
            ],
        )
        self.assertFalse(result["ids"])
        self.assertIn("without an improvement point", result["messages"][0]["message"])
        ticket.invalidate_recordset()
        self.assertEqual(ticket.stage_id, self.stage_new)

    def _xmlid(self, ticket):
        self.env["ir.model.data"].create(
            {
                "module": "__import__",
                "name": f"ticket_{ticket.id}",
                "model": ticket._name,
                "res_id": ticket.id,
            }
        )
        return f"__import__.ticket_{ticket.id}"

    def test_the_server_asks_what_we_did_too(self):
        ticket = self._create_ticket()
        wizard = (
            self.env(user=self.agent)["custcare.close.wizard"]
            .with_context(default_ticket_id=ticket.id)
            .create(
                {
                    "name": "Say when an order will be late",
                    "partner_id": self.contact.id,
                    "stage_id": self.stage_done.id,
                    "resolution": "  ",
                }
            )
        )
        with self.assertRaisesRegex(UserError, "Say what we did"):
            wizard.action_confirm()
        self.assertFalse(ticket.closed)
        # a stage that tells the customer nothing needs no words for them
        wizard.stage_id = self.stage_cancelled
        wizard.action_confirm()
        self.assertEqual(ticket.stage_id, self.stage_cancelled)

    def test_wizard_records_point_and_closes_ticket(self):
        ticket = self._create_ticket()
        action = ticket.with_user(self.agent).action_custcare_close_with_point()
        wizard_form = Form(
            self.env(user=self.agent)[action["res_model"]].with_context(
                **action["context"]
            )
        )
        self.assertEqual(wizard_form.stage_id, self.stage_done)
        self.assertEqual(wizard_form.partner_id, self.contact)
        wizard_form.name = "Say when an order will be late"
        wizard_form.raised_by = "rep"
        # Done sends the resolution notice: it must say what we did
        with self.assertRaisesRegex(AssertionError, "resolution is a required field"):
            wizard_form.save()
        wizard_form.resolution = "We now call the day before a late delivery."
        wizard_form.save().action_confirm()
        self.assertEqual(ticket.stage_id, self.stage_done)
        self.assertEqual(
            ticket.custcare_resolution, "We now call the day before a late delivery."
        )
        self.assertEqual(
            ticket.improvement_point_ids.name, "Say when an order will be late"
        )
        self.assertEqual(ticket.improvement_point_ids.raised_by, "rep")

    def test_closed_ticket_keeps_its_last_point(self):
        ticket = self._create_ticket()
        point = self._add_point(ticket)
        ticket.write({"stage_id": self.stage_done.id})
        with self.assertRaises(UserError) as error:
            point.with_user(self.manager).unlink()
        self.assertIn("must keep at least one", str(error.exception))

    def test_kanban_card_shows_point_count(self):
        ticket = self._create_ticket()
        self._add_point(ticket)
        self._add_point(ticket)
        self.assertEqual(ticket.custcare_improvement_point_count, 2)
        arch = self.env["helpdesk.ticket"].get_view(view_type="kanban")["arch"]
        self.assertIn("custcare_improvement_point_count", arch)

    def test_a_refusal_carries_the_fix_for_the_stage_wanted(self):
        """The refused move says which record and which stage: the web client
        offers Add Point & Close for that stage, right in the message."""
        ticket = self._create_ticket()
        with self.assertRaises(ValidationError) as caught:
            ticket.stage_id = self.stage_cancelled
        error = caught.exception
        self.assertIsInstance(error, MissingImprovementPoint)
        self.assertEqual(
            (error.context["custcare_model"], error.context["custcare_res_id"]),
            ("helpdesk.ticket", ticket.id),
        )
        action = ticket.with_context(
            custcare_stage_id=error.context["custcare_stage_id"]
        ).action_custcare_close_with_point()
        self.assertEqual(action["context"]["default_stage_id"], self.stage_cancelled.id)
