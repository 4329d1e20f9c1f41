from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.custcare_loop.utils.competitor_matcher import (
    MAX_SCAN_CHARS,
    CompetitorMatcher,
    html_to_scan_text,
)

from .common import CustcareCommon


@tagged("post_install", "-at_install")
class TestMatcher(CustcareCommon):
    """The matching rules, on the matcher itself."""

    def _find(self, terms, text):
        return CompetitorMatcher(terms).find(text)

    def test_case_accents_and_whole_words(self):
        terms = [("Golden Crust", 1), ("Müller", 2)]
        self.assertEqual(set(self._find(terms, "GOLDEN crust called")), {1})
        self.assertEqual(set(self._find(terms, "Mr muller and MÜLLER")), {2})
        self.assertEqual(set(self._find(terms, "Mr Mueller")), set())
        self.assertEqual(self._find(terms, "goldencrust, Golden Crusty"), {})
        self.assertEqual(set(self._find(terms, "golden\n  crust")), {1})

    def test_every_character_is_literal(self):
        terms = [("C++ Tools (EU)", 1), ("A.B.C.", 2), ("X|Y", 3)]
        self.assertEqual(set(self._find(terms, "we use c++ tools (eu) now")), {1})
        self.assertEqual(set(self._find(terms, "A.B.C. offered a discount")), {2})
        self.assertEqual(self._find(terms, "ABC offered, also AxBxCx, and X"), {})
        self.assertEqual(set(self._find(terms, "x|y")), {3})

    def test_names_and_aliases(self):
        terms = [("Golden Crust", 1), ("GC", 1), ("Crust & Co", 2)]
        found = self._find(terms, "gc said Crust & Co is cheaper")
        self.assertEqual(set(found), {1, 2})
        self.assertIn("gc said", found[1])

    def test_html_and_quoted_history(self):
        body = (
            "<p>Golden Crust <b>called</b> me.</p>"
            "<blockquote>Your reply: we beat A.B.C. on price</blockquote>"
            "<div data-o-mail-quote='1'>On Monday, you wrote: A.B.C.</div>"
        )
        text = html_to_scan_text(body)
        found = self._find([("Golden Crust", 1), ("A.B.C.", 2)], text)
        self.assertEqual(set(found), {1})
        plain = "Golden Crust again\n> quoting you: A.B.C.\n"
        self.assertEqual(
            set(self._find([("A.B.C.", 2)], html_to_scan_text(plain))), set()
        )

    def test_paragraphs_are_word_boundaries(self):
        text = html_to_scan_text("<p>fresh bread</p><p>GC Bakery called</p>")
        self.assertEqual(set(self._find([("GC Bakery", 1)], text)), {1})
        self.assertIn("bread\nGC", text)

    def test_huge_text_bounded(self):
        text = "word " * (MAX_SCAN_CHARS // 5) + " Golden Crust"
        self.assertEqual(self._find([("Golden Crust", 1)], text), {})
        self.assertFalse(CompetitorMatcher([]))


@tagged("post_install", "-at_install")
class TestCompetitorMentions(CustcareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Competitor = cls.env["custcare.competitor"]
        # the demo's competitors (if any) are out of these tests' way
        Competitor.search([]).action_archive()
        cls.golden = Competitor.create(
            {
                "name": "Golden Crust",
                "alias_ids": [(0, 0, {"name": "GC Bakery"})],
            }
        )
        cls.abc = Competitor.create({"name": "A.B.C."})
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other Bistro", "is_company": True, "user_id": cls.manager.id}
        )
        cls.Mention = cls.env["custcare.competitor.mention"]

    def _mentions(self, record=None):
        domain = []
        if record is not None:
            domain = [("res_model", "=", record._name), ("res_id", "=", record.id)]
        return self.Mention.search(domain)

    def test_customer_message_on_ticket_is_spontaneous(self):
        ticket = self._create_ticket()
        message = ticket.message_post(
            author_id=self.contact.id,
            body="<p>FYI, gc bakery offered me 10% off.</p>",
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        mention = self._mentions(ticket)
        self.assertEqual(mention.competitor_id, self.golden)
        self.assertEqual(mention.partner_id, self.contact)
        self.assertEqual(mention.commercial_partner_id, self.customer)
        self.assertEqual(mention.message_id, message)
        self.assertTrue(mention.spontaneous)
        self.assertIn("gc bakery offered", mention.snippet)
        self.assertEqual(self.customer.custcare_competitor_mention_count, 1)
        self.assertTrue(self.customer.custcare_volunteers_competitor_news)
        self.assertEqual(
            ticket.with_user(self.rep).custcare_competitor_mention_count, 1
        )
        # helpdesk agents outside Customer Care do not see mentions at all
        with self.assertRaises(AccessError):
            _ = ticket.with_user(self.agent).custcare_competitor_mention_count

    def test_internal_users_messages_are_not_customer_news(self):
        ticket = self._create_ticket()
        ticket.with_user(self.agent).message_post(
            body="<p>Golden Crust is cheaper, says our analyst</p>",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(self._mentions(ticket))

    def test_messages_on_conversations_and_partners(self):
        conversation = self._create_conversation()
        conversation.message_post(
            author_id=self.contact.id,
            body="A.B.C. called",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.customer.message_post(
            author_id=self.contact.id,
            body="Golden Crust too",
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(self._mentions(conversation).competitor_id, self.abc)
        self.assertEqual(self._mentions(self.customer).competitor_id, self.golden)

    def test_ticket_description_and_edits_never_duplicate(self):
        ticket = self._create_ticket(description="<p>Golden Crust delivers at 6.</p>")
        self.assertEqual(self._mentions(ticket).competitor_id, self.golden)
        ticket.description = "<p>Golden Crust delivers at 6, and A.B.C. at 5.</p>"
        ticket.description = "<p>Golden Crust delivers at 6, and A.B.C. at 5.</p>"
        self.assertEqual(self._mentions(ticket).competitor_id, self.golden | self.abc)
        ticket.description = "<p>A.B.C. at 5.</p>"
        self.assertEqual(self._mentions(ticket).competitor_id, self.abc)

    def test_conversation_summary_rep_says_if_unasked(self):
        conversation = self._create_conversation(
            summary="<p>I asked about Golden Crust.</p>", competitor_spontaneous=False
        )
        mention = self._mentions(conversation)
        self.assertEqual(mention.competitor_id, self.golden)
        self.assertFalse(mention.spontaneous)
        # what we asked about counts, but is no sign of trust: no ribbon
        self.assertEqual(self.customer.custcare_competitor_mention_count, 1)
        self.assertFalse(self.customer.custcare_volunteers_competitor_news)
        conversation.competitor_spontaneous = True
        self.assertTrue(mention.spontaneous)
        self.assertEqual(len(self._mentions(conversation)), 1)

    def test_matcher_follows_registry_changes(self):
        ticket = self._create_ticket()
        ticket.message_post(
            author_id=self.contact.id,
            body="Breadwinners called",
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(self._mentions(ticket))
        self.abc.alias_ids = [(0, 0, {"name": "Breadwinners"})]
        ticket.message_post(
            author_id=self.contact.id,
            body="Breadwinners again",
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(self._mentions(ticket).competitor_id, self.abc)
        self.abc.active = False
        ticket.message_post(
            author_id=self.contact.id,
            body="Breadwinners, third",
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(len(self._mentions(ticket)), 1)

    def test_archiving_a_competitor_keeps_its_mentions(self):
        ticket = self._create_ticket(description="<p>Golden Crust and A.B.C.</p>")
        self.assertEqual(len(self._mentions(ticket)), 2)
        self.golden.active = False
        ticket.description = "<p>Golden Crust and A.B.C., again</p>"
        self.assertEqual(len(self._mentions(ticket)), 2)

    def test_no_competitor_no_work(self):
        (self.golden | self.abc).active = False
        self.assertFalse(self.env["custcare.competitor"]._custcare_matcher())
        ticket = self._create_ticket(description="<p>Golden Crust</p>")
        self.assertFalse(self._mentions(ticket))

    def test_salesperson_is_told(self):
        ticket = self._create_ticket()
        ticket.message_post(
            author_id=self.contact.id,
            body="Golden Crust called",
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        notification = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                ("partner_ids", "in", self.rep.partner_id.ids),
            ]
        )
        self.assertTrue(notification)
        self.assertIn("Golden Crust", str(notification.body))
        self.env.company.custcare_mention_alert = "activity"
        ticket.message_post(
            author_id=self.contact.id,
            body="A.B.C. called",
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        activity = self.customer.activity_ids.filtered(
            lambda a: "A.B.C." in (a.summary or "")
        )
        self.assertEqual(activity.user_id, self.rep)

    def test_bad_names_are_refused(self):
        Competitor = self.env(user=self.manager)["custcare.competitor"]
        with self.assertRaises(ValidationError):
            Competitor.create({"name": "   "})
        with self.assertRaises(ValidationError):
            Competitor.create({"name": "golden crust"})
        with self.assertRaises(ValidationError):
            Competitor.create(
                {"name": "New One", "alias_ids": [(0, 0, {"name": "A.B.C."})]}
            )
        with self.assertRaises(ValidationError):
            self.golden.alias_ids = [(0, 0, {"name": "Gôlden Crust"})]
        # nothing left once accents and spaces are ignored
        for name in ("¨", " ̈ ", "\u0301\u0301"):
            with self.assertRaises(ValidationError, msg=repr(name)):
                Competitor.create({"name": name})
        with self.assertRaises(ValidationError):
            Competitor.create({"name": "x" * 500})

    def test_a_name_with_spaces_left_by_accents_stays_linear(self):
        """ "Brot ¨ Co" normalises to "brot   co": collapsed before the
        pattern is built, so no whitespace run follows another (which made a
        2,500-line email cost seconds, cubic in its blank runs)."""
        competitor = self.env["custcare.competitor"].create({"name": "Brot ¨ Co"})
        matcher = self.env["custcare.competitor"]._custcare_matcher()
        self.assertNotIn(r"\s+\s+", matcher.regex.pattern)
        self.assertIn("brot co", matcher.terms)
        found = matcher.find("We now buy from Brot   Co, sorry.")
        self.assertIn(competitor.id, found)
        self.assertTrue(matcher.find("Brot\n\tCo"))

    def test_html_pre_scan_is_bounded_on_unclosed_tags(self):
        """A body of "<" without ">" is cut and scanned in linear time."""
        matcher = self.env["custcare.competitor"]._custcare_matcher()
        body = "<" * 2_000_000 + " Golden Crust"
        self.assertFalse(matcher.search_html(body))
        self.assertTrue(matcher.search_html("<p>" + "x " * 1000 + "Golden Crust</p>"))

    def test_access(self):
        self._create_ticket(description="<p>Golden Crust</p>")
        other_ticket = self._create_ticket(
            partner_id=self.other_customer.id, description="<p>A.B.C.</p>"
        )
        rep_mentions = self.env(user=self.rep)["custcare.competitor.mention"].search([])
        self.assertIn(self.golden, rep_mentions.competitor_id)
        self.assertNotIn(self.abc, rep_mentions.competitor_id)
        manager_mentions = self.env(user=self.manager)[
            "custcare.competitor.mention"
        ].search(
            [("res_id", "=", other_ticket.id), ("res_model", "=", "helpdesk.ticket")]
        )
        self.assertEqual(manager_mentions.competitor_id, self.abc)
        with self.assertRaises(AccessError):
            self.env(user=self.rep)["custcare.competitor"].create({"name": "Rival"})
        self.assertTrue(self.env(user=self.rep)["custcare.competitor"].search([]))
        portal = new_test_user(self.env, login="cc_portal2", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.env(user=portal)["custcare.competitor.mention"].search([])
        with self.assertRaises(AccessError):
            self.env(user=portal)["custcare.competitor"].search([])

    def test_two_saves_at_once_record_a_mention_once(self):
        """Two reps save the same description at the same moment: the second
        one's insert meets the first one's mention (the unique constraint)
        and the save goes through; the mention is recorded once."""
        ticket = self._create_ticket(description="<p>nothing yet</p>")
        Mention = self.env["custcare.competitor.mention"]
        vals = {
            "competitor_id": self.golden.id,
            "partner_id": self.contact.id,
            "res_model": ticket._name,
            "res_id": ticket.id,
            "source": "description",
            "source_key": "description",
            "snippet": "Golden Crust",
            "spontaneous": True,
        }
        # the other transaction's mention, already there
        Mention.sudo().create(vals)
        with mute_logger("odoo.sql_db"):
            created = Mention.sudo()._custcare_create_once([vals])
        self.assertFalse(created)
        self.assertEqual(len(self._mentions(ticket)), 1)
