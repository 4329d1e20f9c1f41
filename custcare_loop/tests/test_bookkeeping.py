"""What utils/bookkeeping.py writes beside the ORM stays safe to write so."""

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..utils.bookkeeping import FIELDS, update_where


@tagged("post_install", "-at_install")
class TestBookkeepingFields(TransactionCase):
    def test_no_bookkeeping_field_is_tracked_inversed_or_watched(self):
        """A tracked field, an inverse or an automation rule on one of these
        would silently record nothing: the UPDATE skips them."""
        Automation = self.env["base.automation"].with_context(active_test=False)
        watched = (
            Automation.search([]).trigger_field_ids
            | Automation.search([]).on_change_field_ids
        )
        for model_name, names in FIELDS.items():
            model = self.env[model_name]
            for name in names:
                with self.subTest(field=f"{model_name}.{name}"):
                    field = model._fields[name]
                    self.assertTrue(field.store)
                    self.assertNotIn(name, model._track_get_fields(), "tracked")
                    self.assertFalse(field.inverse, "has an inverse")
                    self.assertFalse(field.compute, "computed")
                    ir_field = self.env["ir.model.fields"]._get(model_name, name)
                    self.assertNotIn(ir_field, watched, "watched by an automation rule")

    def test_an_undeclared_field_is_refused(self):
        partner = self.env["res.partner"].create({"name": "Bookkeeping"})
        with self.assertRaisesRegex(ValueError, "not bookkeeping fields"):
            update_where(partner, {"name": "Renamed"}, SQL("id = %s", partner.id))
        update_where(
            partner,
            {"custcare_last_contact_date": "2027-03-01"},
            SQL("id = %s", partner.id),
        )
        self.assertEqual(str(partner.custcare_last_contact_date), "2027-03-01")
