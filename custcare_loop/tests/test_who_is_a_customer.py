from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from ..models.custcare_contact_rules import COLLEAGUE, CUSTOMER, CustcareContactRules
from .common import CustcareCommon

UPSET = "<p>Unacceptable, I am furious: Golden Crust never did this.</p>"


@tagged("post_install", "-at_install")
class TestWhoIsACustomer(CustcareCommon):
    """One answer to "who wrote this message?", asked by the four listeners
    (contacts, replies awaited, temperature suggestions, competitor
    mentions), so that each kind of author falls the same way in all of
    them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["custcare.competitor"].search([]).action_archive()
        cls.env["custcare.competitor"].create({"name": "Golden Crust"})
        cls.rules = cls.env["custcare.contact.rules"]
        cls.odoobot = cls.env.ref("base.user_root")
        cls.archived = new_test_user(
            cls.env, login="custcare_gone", name="Gus Gone", groups="base.group_user"
        )
        cls.archived.email = "gus@example.com"
        cls.archived.active = False
        cls.portal = new_test_user(
            cls.env,
            login="custcare_ann_portal",
            groups="base.group_portal",
            partner_id=cls.contact.id,
        )
        # a partner both companies share (no company of its own), and a
        # second company whose rep works only there
        cls.company_b = cls.env["res.company"].create({"name": "Bakery Two"})
        cls.shared = cls.env["res.partner"].create(
            {"name": "Sam Shared", "email": "sam@example.com", "company_id": False}
        )
        cls.rep_b = new_test_user(
            cls.env,
            login="custcare_rep_b",
            groups="custcare_loop.group_custcare_user,helpdesk_mgmt.group_helpdesk_user",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.colleague_a = new_test_user(
            cls.env, login="custcare_colleague_a", groups="base.group_user"
        )

    def _ticket(self, **vals):
        return self._create_ticket(
            user=self.rep_b,
            **{"partner_id": self.shared.id, "company_id": self.company_b.id, **vals},
        )

    def _listeners_saw(self, ticket):
        """What each listener made of the last message on ``ticket``."""
        mentions = self.env["custcare.competitor.mention"].search_count(
            [("res_model", "=", ticket._name), ("res_id", "=", ticket.id)]
        )
        return {
            "awaits reply": bool(ticket.custcare_awaiting_reply_since),
            "temperature": ticket.custcare_temperature_suggestion,
            "mention": bool(mentions),
        }

    def _author_posts(self, ticket, author=None, user=None, **kwargs):
        values = {
            "body": UPSET,
            "message_type": "email",
            "subtype_xmlid": "mail.mt_comment",
        }
        if author is not None:
            values["author_id"] = author.id
        values.update(kwargs)
        records = ticket.with_user(user).sudo() if user else ticket
        return records.message_post(**values)

    def test_each_author_falls_the_same_way_in_every_listener(self):
        customer = {"awaits reply": True, "temperature": "hot", "mention": True}
        nobody = {"awaits reply": False, "temperature": False, "mention": False}
        cases = [
            # a contact without user, writing by email
            ("contact", {"author": self.shared}, customer),
            # a portal user, from the portal (which posts in sudo as them)
            ("portal user", {"user": self.portal}, customer),
            # a sender the mail gateway knows only by address: awaited and
            # read; a mention needs a contact, and none is made for an
            # unknown address (spam naming a competitor is no customer)
            (
                "address only",
                {"author": self.env["res.partner"], "email_from": "jo@example.com"},
                {**customer, "mention": False},
            ),
            # an address a contact has: the mention is theirs
            (
                "address of a contact",
                {"author": self.env["res.partner"], "email_from": "sam@example.com"},
                customer,
            ),
            # an employee whose user was archived: still one of ours
            ("archived employee", {"author": self.archived.partner_id}, nobody),
            # an employee of the other company, on this company's ticket
            ("employee elsewhere", {"author": self.colleague_a.partner_id}, nobody),
            # OdooBot: the system
            ("OdooBot", {"user": self.odoobot, "message_type": "comment"}, nobody),
        ]
        for name, kwargs, expected in cases:
            with self.subTest(author=name):
                ticket = self._ticket()
                if name.startswith("address"):
                    kwargs["author"] = None
                    kwargs["author_id"] = False
                self._author_posts(ticket, **kwargs)
                self.assertEqual(self._listeners_saw(ticket), expected)
        self.assertFalse(
            self.env["res.partner"].search([("email", "=", "jo@example.com")]),
            "no contact is made for an unknown sender",
        )
        mentions = self.env["custcare.competitor.mention"].search(
            [("partner_id", "=", self.shared.id)]
        )
        self.assertEqual(len(mentions), 2, "as the author, then by their address")

    def test_each_kind_of_recipient_falls_the_same_way(self):
        """A rep writing to them: only customers are contacted."""
        self.portal.partner_id.parent_id = self.customer
        recipients = {
            "contact": (self.shared, True),
            "portal user": (self.portal.partner_id, True),
            "archived employee": (self.archived.partner_id, False),
            "employee elsewhere": (self.colleague_a.partner_id, False),
            "OdooBot": (self.odoobot.partner_id, False),
        }
        ticket = self._ticket()
        with freeze_time("2027-03-01 09:00:00"):
            ticket.with_user(self.rep_b).message_post(
                body="We are on it.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=[partner.id for partner, _ in recipients.values()],
            )
        for name, (partner, contacted) in recipients.items():
            with self.subTest(recipient=name):
                self.assertEqual(
                    partner.with_context(active_test=False).custcare_last_contact_date,
                    contacted and date(2027, 3, 1),
                )

    def test_an_archived_employee_writing_is_one_of_ours(self):
        """Their reply to the customer ends the wait and is a contact."""
        ticket = self._ticket()
        self._author_posts(ticket, author=self.shared)
        self.assertTrue(ticket.custcare_awaiting_reply_since)
        with freeze_time("2027-03-01 09:00:00"):
            self._author_posts(
                ticket,
                author=self.archived.partner_id,
                body="<p>Sorted.</p>",
                partner_ids=self.shared.ids,
            )
        self.assertFalse(ticket.custcare_awaiting_reply_since)
        self.assertEqual(self.shared.custcare_last_contact_date, date(2027, 3, 1))

    def _asking(self):
        """Counts the question that costs a query."""
        return patch.object(
            CustcareContactRules,
            "_customers_among",
            autospec=True,
            side_effect=CustcareContactRules._customers_among,
        )

    def test_the_answer_is_asked_once_per_message(self):
        """Four listeners, one question that costs a query: whether an
        author other than the current user is one of ours."""
        ticket = self._ticket()
        with self._asking() as asked:
            self._author_posts(ticket, author=self.shared)
        self.assertEqual(asked.call_count, 1)
        self.assertEqual(self._listeners_saw(ticket)["mention"], True)
        # a rep writing as themselves: asked nothing
        with self._asking() as asked:
            ticket.with_user(self.rep_b).message_post(
                body="<p>On it.</p>",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.shared.ids,
            )
        self.assertEqual(asked.call_count, 0)

    def test_the_verdicts(self):
        kind = self.rules._message_author_kind
        comment = {"message_type": "comment"}
        self.assertEqual(kind({**comment, "author_id": self.shared.id}), CUSTOMER)
        self.assertEqual(
            kind({**comment, "author_id": False, "email_from": "a@b.example"}),
            CUSTOMER,
        )
        self.assertIsNone(kind({**comment, "author_id": False}))
        self.assertEqual(
            kind({**comment, "author_id": self.archived.partner_id.id}), COLLEAGUE
        )
        self.assertEqual(
            self.rules.with_user(self.rep)._message_author_kind(
                {**comment, "author_id": self.rep.partner_id.id}
            ),
            COLLEAGUE,
        )
        self.assertIsNone(
            kind({**comment, "author_id": self.odoobot.partner_id.id}), "OdooBot"
        )
        note = self.env.ref("mail.mt_note").id
        self.assertIsNone(
            kind({**comment, "author_id": self.shared.id, "subtype_id": note})
        )
        self.assertIsNone(
            kind({"message_type": "notification", "author_id": self.shared.id})
        )
