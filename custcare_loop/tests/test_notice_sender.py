"""A notice is from the person who signs it (issue 18)."""

import importlib.util
import re
from pathlib import Path

from odoo.tests import Form, tagged

from .common_week_one import WeekOneCommon


@tagged("post_install", "-at_install")
class TestOneSenderWhoSigns(WeekOneCommon):
    """A notice is from the person who signs it: the record's owner, else the
    company; never the colleague who happened to click."""

    def _assert_from_and_signed_by(self, message, name):
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(message.author_id.name, name)
        self.assertIn(name, mail.email_from)
        self.assertIn(self.env.company.email, mail.email_from)
        self.assertRegex(message.body, rf"<br/?>\s*{re.escape(name)}</p>")
        self.assertNotIn(self.colleague.name, message.body)
        self.assertNotIn(self.colleague.name, mail.email_from)

    def test_you_asked_we_did_it_is_from_the_points_owner(self):
        point = self.env(user=self.owner)["custcare.improvement.point"].create(
            {"name": "Open on Sundays", "partner_id": self.contact.id}
        )
        # a colleague (a manager) marks it done
        wizard = Form(
            self.env(user=self.colleague)["custcare.point.done.wizard"].with_context(
                default_point_id=point.id
            )
        )
        wizard.action_taken = "<p>We open 8-12 on Sundays.</p>"
        self.assertIn(self.owner.name, wizard.preview, "the preview signs the same")
        wizard.save().action_confirm()
        message = self._notices(point, "You asked, we did it")
        self.assertEqual(len(message), 1)
        self._assert_from_and_signed_by(message, self.owner.name)

    def test_the_resolution_notice_is_from_the_tickets_owner(self):
        ticket = self._create_ticket(user_id=self.owner.id)
        self._add_point(ticket)
        self._flush_tracking()
        ticket.with_user(self.colleague).stage_id = self.stage_done
        self._flush_tracking()
        message = self._notices(ticket, "Resolved:")
        self._assert_from_and_signed_by(message, self.owner.name)

    def test_without_an_owner_the_company_sends_and_signs(self):
        ticket = self._create_ticket(user_id=False)
        self._add_point(ticket)
        self._flush_tracking()
        ticket.with_user(self.colleague).stage_id = self.stage_done
        self._flush_tracking()
        message = self._notices(ticket, "Resolved:")
        self._assert_from_and_signed_by(message, self.env.company.name)

    def test_an_upgrade_sends_notices_from_who_signs_them(self):
        """The (noupdate) templates of an upgraded database take the new From
        line, unless someone edited it."""
        path = (
            Path(__file__).resolve().parent.parent
            / "migrations/19.0.2.2.0/post-migration.py"
        )
        spec = importlib.util.spec_from_file_location("custcare_mig_2_2", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        shipped = self.env.ref("custcare_loop.mail_template_improvement_done")
        edited = self.env.ref("custcare_loop.mail_template_resolution_notice")
        shipped.email_from = migration.OLD_EMAIL_FROM
        edited.email_from = "care@example.com"
        migration.migrate(self.env.cr, "19.0.2.1.0")
        self.assertEqual(shipped.email_from, migration.NEW_EMAIL_FROM)
        self.assertEqual(edited.email_from, "care@example.com")
        point = self.env(user=self.owner)["custcare.improvement.point"].create(
            {
                "name": "Open on Sundays",
                "partner_id": self.contact.id,
                "action_taken": "<p>We open 8-12 on Sundays.</p>",
            }
        )
        point.with_user(self.colleague).with_context(
            custcare_done_confirmed=True
        ).action_done()
        self._assert_from_and_signed_by(
            self._notices(point, "You asked, we did it"), self.owner.name
        )
