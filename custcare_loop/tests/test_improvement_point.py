from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.custcare_loop.exceptions import PointDoneNeedsConfirmation

from .common import CustcareCommon


@tagged("post_install", "-at_install")
class TestImprovementPoint(CustcareCommon):
    def test_rep_records_point_through_lifecycle(self):
        Point = self.env(user=self.rep)["custcare.improvement.point"]
        with Form(Point) as form:
            form.name = "Invoices should show the order reference"
            form.partner_id = self.contact
            form.aspect_id = self.env.ref("custcare_loop.aspect_billing")
            form.customer_words = "I can't match invoices to orders."
        point = form.record
        self.assertEqual(point.state, "new")
        self.assertEqual(point.user_id, self.rep)
        self.assertEqual(point.raised_by, "customer")
        self.assertEqual(point.commercial_partner_id, self.customer)
        self.assertEqual(point.salesperson_id, self.rep)
        point.action_plan()
        self.assertEqual(point.state, "planned")
        # done asks what was done, and shows who will be told
        action = point.action_done()
        self.assertEqual(point.state, "planned")
        wizard = Form(
            self.env(user=self.rep)[action["res_model"]].with_context(
                **action["context"]
            )
        )
        self.assertEqual(wizard.customer_ids[:], self.env["res.partner"])
        self.assertEqual(wizard.call_ids[:], self.contact)
        wizard.action_taken = "<p>Invoices now carry the order reference.</p>"
        self.assertIn("Hello Ann Baker", wizard.preview)
        self.assertIn("order reference", wizard.preview)
        wizard.save().action_confirm()
        self.assertEqual(point.state, "done")
        point.action_reset()
        point.action_decline()
        self.assertEqual(point.state, "declined")

    def test_done_shows_each_customer_once(self):
        """As the dialog opens it (a wizard not saved yet): a customer with an
        email address is told by email, not also listed to call."""
        self.contact.email = "ann@acme-bakery.example.com"
        point = self.env(user=self.rep)["custcare.improvement.point"].create(
            {"name": "Open on Sundays", "partner_id": self.contact.id}
        )
        action = point.action_done()
        wizard = Form(
            self.env(user=self.rep)[action["res_model"]].with_context(
                **action["context"]
            )
        )
        self.assertEqual(wizard.customer_ids[:], self.contact)
        self.assertFalse(wizard.call_ids[:])

    def test_done_needs_the_action_taken(self):
        point = self.env(user=self.rep)["custcare.improvement.point"].create(
            {"name": "Open on Sundays", "partner_id": self.contact.id}
        )
        # a kanban drag to Done, or an import: refused, "Mark as Done" offered
        with self.assertRaisesRegex(ValidationError, "Mark as Done") as caught:
            point.state = "done"
        self.assertIsInstance(caught.exception, PointDoneNeedsConfirmation)
        self.assertEqual(caught.exception.context["custcare_res_id"], point.id)
        with self.assertRaisesRegex(ValidationError, "Write the action taken"):
            point.with_context(custcare_done_confirmed=True).state = "done"
        with self.assertRaises(UserError):
            self.env["custcare.point.done.wizard"].create(
                {"point_id": point.id, "action_taken": "<p><br></p>"}
            ).action_confirm()

    def test_name_and_customer_required(self):
        Point = self.env(user=self.rep)["custcare.improvement.point"]
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            Point.create({"name": "No customer"})
        form = Form(Point)
        form.partner_id = self.contact
        with self.assertRaises(AssertionError) as error:
            form.save()
        self.assertIn("name", str(error.exception))

    def test_partner_defaults_from_ticket(self):
        ticket = self._create_ticket()
        form = Form(self.env(user=self.agent)["custcare.improvement.point"])
        form.ticket_id = ticket
        self.assertEqual(form.partner_id, self.contact)

    def test_several_customers_raise_the_same_point(self):
        other = self.env["res.partner"].create({"name": "Bistro Bob"})
        point = self.env(user=self.rep)["custcare.improvement.point"].create(
            {
                "name": "Open on Sundays",
                "partner_id": self.contact.id,
                "partner_ids": [(4, other.id)],
            }
        )
        self.assertEqual(point.partner_ids, other)

    def test_point_chatter_tracks_state(self):
        point = (
            self.env(user=self.rep)["custcare.improvement.point"]
            .with_context(tracking_disable=False, mail_notrack=False)
            .create({"name": "Open on Sundays", "partner_id": self.contact.id})
        )
        point.env.flush_all()
        point.env.cr.precommit.run()
        point.with_context(custcare_done_confirmed=True).write(
            {"action_taken": "<p>Open 8-12.</p>", "state": "done"}
        )
        point.env.flush_all()
        point.env.cr.precommit.run()
        self.assertTrue(
            point.sudo().message_ids.tracking_value_ids.filtered(
                lambda t: t.field_id.name == "state"
            )
        )

    def test_aspects_are_configured_by_managers(self):
        Aspect = self.env["custcare.improvement.aspect"]
        self.assertTrue(Aspect.with_user(self.rep).search([]))
        with self.assertRaises(AccessError):
            Aspect.with_user(self.rep).create({"name": "Packaging"})
        aspect = Aspect.with_user(self.manager).create({"name": "Packaging"})
        self.assertEqual(aspect.name, "Packaging")
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            Aspect.with_user(self.manager).create({"name": "Packaging"})
