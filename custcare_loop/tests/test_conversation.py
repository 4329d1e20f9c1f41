from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import CustcareCommon


@tagged("post_install", "-at_install")
class TestConversation(CustcareCommon):
    def test_rep_logs_conversation_with_defaults(self):
        conversation = self._create_conversation(name="Quarterly review")
        self.assertEqual(conversation.user_id, self.rep)
        self.assertEqual(conversation.state, "open")
        self.assertTrue(conversation.date)
        self.assertEqual(conversation.commercial_partner_id, self.customer)
        self.assertEqual(
            conversation.display_name, "Quarterly review - Acme Bakery, Ann Baker"
        )

    def test_close_without_point_is_refused_with_guidance(self):
        conversation = self._create_conversation()
        with self.assertRaises(UserError) as error:
            conversation.action_close()
        self.assertIn("no improvement point", str(error.exception))
        self.assertIn("Add Point & Close", str(error.exception))
        conversation.invalidate_recordset()
        self.assertEqual(conversation.state, "open")

    def test_close_with_point(self):
        conversation = self._create_conversation()
        self.env(user=self.rep)["custcare.improvement.point"].create(
            {
                "name": "Deliver before 7 am",
                "partner_id": self.contact.id,
                "conversation_id": conversation.id,
                "aspect_id": self.aspect_delivery.id,
            }
        )
        conversation.action_close()
        self.assertEqual(conversation.state, "closed")

    def test_write_state_closed_is_refused(self):
        """RPC, list edit and import all go through write/create."""
        conversation = self._create_conversation()
        with self.assertRaises(UserError):
            conversation.write({"state": "closed"})
        with self.assertRaises(UserError):
            self._create_conversation(state="closed")

    def test_create_closed_with_points_in_one_call(self):
        conversation = self._create_conversation(
            state="closed",
            improvement_point_ids=[
                (0, 0, {"name": "Bigger loaves", "partner_id": self.contact.id})
            ],
        )
        self.assertEqual(conversation.state, "closed")
        self.assertEqual(len(conversation.improvement_point_ids), 1)

    def test_import_closed_without_point_is_refused(self):
        Conversation = self.env(user=self.rep)["custcare.conversation"]
        result = Conversation.load(
            ["partner_id/.id", "channel", "state"],
            [[str(self.contact.id), "call", "closed"]],
        )
        self.assertFalse(result["ids"])
        self.assertIn("no improvement point", result["messages"][0]["message"])
        self.assertFalse(
            Conversation.search_count(
                [("partner_id", "=", self.contact.id), ("state", "=", "closed")]
            )
        )

    def test_close_several_at_once_refused_if_one_lacks_point(self):
        with_point = self._create_conversation(
            improvement_point_ids=[
                (0, 0, {"name": "Bigger loaves", "partner_id": self.contact.id})
            ],
        )
        without_point = self._create_conversation()
        with self.assertRaises(UserError):
            (with_point | without_point).action_close()
        with_point.invalidate_recordset()
        self.assertEqual(with_point.state, "open")

    def test_form_add_point_then_close(self):
        with Form(self.env(user=self.rep)["custcare.conversation"]) as form:
            form.partner_id = self.contact
            form.name = "Visit at the bakery"
            with form.improvement_point_ids.new() as line:
                line.name = "Label the gluten-free loaves"
            self.assertEqual(form.improvement_point_count, 1)
        conversation = form.record
        self.assertEqual(conversation.improvement_point_ids.partner_id, self.contact)
        conversation.action_close()
        self.assertEqual(conversation.state, "closed")

    def test_wizard_records_point_and_closes(self):
        conversation = self._create_conversation()
        action = conversation.with_user(self.rep).action_close_with_point()
        self.assertEqual(action["res_model"], "custcare.close.wizard")
        wizard_form = Form(
            self.env(user=self.rep)[action["res_model"]].with_context(
                **action["context"]
            )
        )
        self.assertEqual(wizard_form.partner_id, self.contact)
        wizard_form.name = "Call before delivering"
        wizard_form.customer_words = "I never know when the van comes."
        wizard_form.aspect_id = self.aspect_delivery
        wizard_form.save().action_confirm()
        self.assertEqual(conversation.state, "closed")
        point = conversation.improvement_point_ids
        self.assertEqual(point.name, "Call before delivering")
        self.assertEqual(point.customer_words, "I never know when the van comes.")
        self.assertEqual(point.user_id, self.rep)
        self.assertEqual(point.partner_id, self.contact)

    def test_closed_conversation_keeps_its_last_point(self):
        conversation = self._create_conversation(
            improvement_point_ids=[
                (0, 0, {"name": "Bigger loaves", "partner_id": self.contact.id})
            ],
        )
        conversation.action_close()
        point = conversation.improvement_point_ids.with_user(self.manager)
        with self.assertRaises(UserError) as error:
            point.unlink()
        self.assertIn("must keep at least one", str(error.exception))
        other = self._create_conversation()
        with self.assertRaises(UserError) as error:
            point.conversation_id = other
        self.assertIn("must keep at least one", str(error.exception))
        # once reopened, the point can go
        conversation.action_reopen()
        self.assertEqual(conversation.state, "open")
        point.unlink()
        self.assertFalse(conversation.improvement_point_ids)
