from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import SQL

from .common import CustcareCommon


@tagged("post_install", "-at_install")
class TestRecurringConcerns(CustcareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.env["res.partner"].create(
            {"name": "Bistro Bob", "is_company": True, "email": "bob@example.com"}
        )
        Point = cls.env["custcare.improvement.point"]
        cls.late = Point.create(
            {"name": "Deliveries arrive late", "partner_id": cls.other.id}
        )
        cls.invoice = Point.create(
            {"name": "Invoice without the order reference", "partner_id": cls.other.id}
        )

    def test_similar_points_ignore_case_and_accents(self):
        form = Form(self.env(user=self.rep)["custcare.improvement.point"])
        form.partner_id = self.contact
        form.name = "DÉLIVERY arrives late in the morning"
        self.assertIn(self.late, form.similar_point_ids)
        self.assertNotIn(self.invoice, form.similar_point_ids)

    def test_the_lookup_can_use_the_trigram_index(self):
        """The query compares the very expression the index is built on (with
        or without unaccent), so PostgreSQL can use it on large tables."""
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = "
            "'custcare_improvement_point__name_key_index'"
        )
        [(indexdef,)] = self.env.cr.fetchall()
        self.assertIn("gin_trgm_ops", indexdef)
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute(
            SQL(
                "EXPLAIN SELECT id FROM custcare_improvement_point WHERE %s %% %s",
                self.env["custcare.improvement.point"]._custcare_name_key_sql(),
                "deliveries arrive too late",
            )
        )
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("custcare_improvement_point__name_key_index", plan)

    def test_similar_points_stay_in_their_company(self):
        company_b = self.env["res.company"].create({"name": "Bakery North"})
        self.env["custcare.improvement.point"].create(
            {
                "name": "Deliveries arrive late",
                "partner_id": self.other.id,
                "company_id": company_b.id,
            }
        )
        similar = self.env["custcare.improvement.point"]._custcare_find_similar(
            "Delivery arrives late", self.env.company
        )
        self.assertIn(self.late, similar)
        self.assertEqual(similar.company_id, self.env.company)

    def test_same_as_adds_the_customer_instead_of_a_duplicate(self):
        form = Form(self.env(user=self.rep)["custcare.improvement.point"])
        form.partner_id = self.contact
        form.name = "Delivery arrives late in the morning"
        form.merged_into_id = self.late
        recorded = form.save()
        self.assertFalse(recorded.active)
        self.assertEqual(recorded.merged_into_id, self.late)
        self.assertIn(self.contact, self.late.partner_ids)
        self.assertEqual(self.late.customer_count, 2)
        open_points = self.env["custcare.improvement.point"].search(
            [("name", "ilike", "arrive")]
        )
        self.assertIn(self.late, open_points)
        self.assertNotIn(recorded, open_points, "no visible duplicate")

    def test_add_point_and_close_can_join_an_existing_point(self):
        conversation = self._create_conversation()
        wizard = Form(
            self.env(user=self.rep)["custcare.close.wizard"].with_context(
                default_conversation_id=conversation.id,
                default_partner_id=self.contact.id,
            )
        )
        wizard.name = "Deliveries are late"
        self.assertIn(self.late, wizard.similar_point_ids)
        wizard.same_as_id = self.late
        wizard.save().action_confirm()
        self.assertEqual(conversation.state, "closed")
        self.assertIn(self.contact, self.late.partner_ids)
        # the conversation keeps its own (merged) record of the point
        point = conversation.with_context(active_test=False).improvement_point_ids
        self.assertEqual(point.merged_into_id, self.late)

    def test_customer_count_counts_companies(self):
        ann_colleague = self.env["res.partner"].create(
            {"name": "Ben Baker", "parent_id": self.customer.id}
        )
        self.late.partner_ids = [(6, 0, (self.contact | ann_colleague).ids)]
        self.assertEqual(self.late.customer_count, 2, "Bistro Bob and Acme")

    def test_managers_merge_duplicates_keeping_everything(self):
        ticket = self._create_ticket()
        duplicate = self.env["custcare.improvement.point"].create(
            {
                "name": "Late deliveries",
                "partner_id": self.contact.id,
                "ticket_id": ticket.id,
            }
        )
        duplicate.message_post(body="Customer called again about it")
        wizard = Form(
            self.env(user=self.manager)["custcare.point.merge.wizard"].with_context(
                active_ids=(self.late | duplicate).ids
            )
        )
        self.assertEqual(wizard.target_id, self.late.with_user(self.manager))
        wizard.save().action_merge()
        self.assertIn(self.contact, self.late.partner_ids)
        self.assertFalse(duplicate.active)
        self.assertEqual(duplicate.ticket_id, ticket)
        self.assertIn("called again", str(duplicate.message_ids.mapped("body")))
        self.assertEqual(
            ticket.with_context(active_test=False).improvement_point_ids, duplicate
        )
        with self.assertRaises(AccessError):
            self.env(user=self.rep)["custcare.point.merge.wizard"].create(
                {"point_ids": [(6, 0, self.late.ids)], "target_id": self.late.id}
            )

    def test_three_worst_things_recorded_as_asked(self):
        conversation = self._create_conversation()
        wizard = self.env(user=self.rep)["custcare.three.worst.wizard"].create(
            {
                "conversation_id": conversation.id,
                "first": "Deliveries arrive late",
                "second": "The phone line is always busy",
                "third": "  ",
            }
        )
        wizard.action_confirm()
        points = conversation.improvement_point_ids
        self.assertEqual(len(points), 2)
        self.assertEqual(set(points.mapped("raised_by")), {"asked"})
        conversation.action_close()
        self.assertEqual(conversation.state, "closed")

    def test_praise_is_kept_but_does_not_close(self):
        conversation = self._create_conversation(
            praise_ids=[
                (
                    0,
                    0,
                    {"name": "Best croissants in town", "partner_id": self.contact.id},
                )
            ]
        )
        self.assertEqual(conversation.praise_ids.name, "Best croissants in town")
        with self.assertRaises(ValidationError):
            conversation.action_close()

    def test_a_top_concern_done_is_an_advantage_and_tells_everyone(self):
        self.late.partner_ids = [(4, self.contact.id)]
        self.contact.email = "ann@acme-bakery.example.com"
        self.late.with_user(self.manager).write(
            {"is_top_concern": True, "plan": "<p>A second van</p>"}
        )
        self.late.with_user(self.manager).write(
            {"action_taken": "<p>A second van leaves at 5.</p>"}
        )
        self.late.with_user(self.manager).with_context(
            custcare_done_confirmed=True
        ).action_done()
        self.assertTrue(self.late.turned_advantage)
        self.assertEqual(self.late.told_count, 2)
        self.assertTrue(self.late.done_date)
        with self.assertRaises(AccessError):
            self.invoice.with_user(self.rep).plan = "<p>not mine to plan</p>"

    def test_days_to_done_averages_the_points_done(self):
        Point = self.env["custcare.improvement.point"]
        points = Point.create(
            [
                {"name": f"Average me {i}", "partner_id": self.contact.id}
                for i in range(3)
            ]
        )
        points.write({"date": date(2027, 1, 1)})
        points[0].done_date = date(2027, 1, 11)
        points[1].done_date = date(2027, 1, 31)
        [(average,)] = Point._read_group(
            [("id", "in", points.ids)], aggregates=["days_to_done:avg"]
        )
        self.assertEqual(points[2].days_to_done, 0)
        self.assertAlmostEqual(average, 20.0)


@tagged("post_install", "-at_install")
class TestFaq(CustcareCommon):
    def _faq(self):
        point = self.env["custcare.improvement.point"].create(
            {"name": "Can you deliver before 7?", "partner_id": self.contact.id}
        )
        action = point.with_user(self.manager).action_custcare_write_faq()
        return self.env["custcare.faq"].browse(action["res_id"])

    def test_one_click_from_a_concern_to_an_faq_entry(self):
        faq = self._faq()
        self.assertEqual(faq.name, "Can you deliver before 7?")
        self.assertEqual(faq.customer_count, 1)
        self.assertFalse(faq.is_published)
        self.assertFalse(faq.canned_response_id)

    def test_published_is_a_canned_response_unpublished_is_not(self):
        faq = self._faq().with_user(self.manager)
        faq.answer = "<p>Yes: order by 5 pm, we deliver from 6 am.</p>"
        faq.action_publish()
        canned = faq.canned_response_id
        self.assertEqual(canned.source, faq.shortcut)
        self.assertIn("we deliver from 6 am", canned.substitution)
        # a rep finds it among the canned responses they may use
        self.assertIn(
            canned, self.env["mail.canned.response"].with_user(self.rep).search([])
        )
        faq.answer = "<p>Yes: from 5:30 am now.</p>"
        self.assertIn("5:30", canned.substitution)
        faq.action_unpublish()
        self.assertFalse(canned.exists())

    def test_reps_read_managers_write(self):
        faq = self._faq()
        self.assertEqual(faq.with_user(self.rep).name, faq.name)
        with self.assertRaises(AccessError):
            faq.with_user(self.rep).is_published = True

    def test_a_shortcut_is_one_short_word(self):
        faq = self._faq()
        with self.assertRaises(ValidationError):
            faq.shortcut = "two words"


@tagged("post_install", "-at_install")
class TestFaqPage(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Faq = cls.env["custcare.faq"]
        cls.published = Faq.create(
            {
                "name": "Can you deliver before 7?",
                "answer": "<p>Yes, from 6 am.</p>",
                "is_published": True,
            }
        )
        cls.draft = Faq.create({"name": "Secret draft question", "answer": "<p>x</p>"})

    def test_public_page_shows_published_entries_only(self):
        page = self.url_open("/custcare/faq")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Can you deliver before 7?", page.text)
        self.assertNotIn("Secret draft question", page.text)
        self.published.is_published = False
        self.assertNotIn(
            "Can you deliver before 7?", self.url_open("/custcare/faq").text
        )

    def test_search_and_bad_input(self):
        self.assertIn("before 7", self.url_open("/custcare/faq?search=deliver").text)
        self.assertNotIn("before 7", self.url_open("/custcare/faq?search=invoice").text)
        page = self.url_open("/custcare/faq?search=" + "%25" * 10000)
        self.assertEqual(page.status_code, 200)

    def test_in_the_visitors_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.published.with_context(lang="fr_FR").name = "Livrez-vous avant 7 h ?"
        page = self.url_open("/custcare/faq", headers={"Accept-Language": "fr-FR"})
        self.assertIn("Livrez-vous avant 7 h ?", page.text)

    def test_the_portal_ticket_page_links_the_faq(self):
        arch = self.env.ref(
            "helpdesk_mgmt.portal_helpdesk_ticket_page"
        )._get_combined_arch()
        self.assertTrue(arch.xpath("//a[@href='/custcare/faq']"))

    def test_reps_are_refused_writing_the_faq(self):
        rep = new_test_user(
            self.env, login="faq_rep", groups="custcare_loop.group_custcare_user"
        )
        with self.assertRaises(AccessError):
            self.env(user=rep)["custcare.faq"].create({"name": "X"})
