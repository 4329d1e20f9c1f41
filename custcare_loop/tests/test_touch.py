from datetime import date

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from ..models.custcare_contact_rules import COLLEAGUE, CUSTOMER
from .common import CustcareCommon


@tagged("post_install", "-at_install")
class TestEveryTouchCounts(CustcareCommon):
    """A message one of us writes to the customer, on any record, is a
    contact; automated messages and the customer's own are not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.email = "ann@acme-bakery.example.com"
        cls.customer.custcare_interval_number = 1
        cls.rep.tz = "Pacific/Auckland"
        cls.manager.tz = "Pacific/Auckland"
        cls.campaign = cls.env["custcare.campaign"].create(
            {"name": "Any mail thread", "effective_date": date(2027, 3, 1)}
        )

    def _post(self, record, user=None, **kwargs):
        values = {
            "body": "Hello Ann",
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_comment",
            "partner_ids": self.contact.ids,
        }
        values.update(kwargs)
        return record.with_user(user or self.rep).message_post(**values)

    @freeze_time("2027-03-01 20:30:00")
    def test_our_message_on_any_record_is_a_contact_in_the_authors_day(self):
        """On a change campaign, not a customer record: 09:30 on 2 March in
        Auckland."""
        self._post(self.campaign, user=self.manager)
        self.assertEqual(self.contact.custcare_last_contact_date, date(2027, 3, 2))
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 3, 2))
        self.assertEqual(self.customer.custcare_contact_state, "on_track")

    @freeze_time("2027-03-01 12:00:00")
    def test_what_is_not_a_contact(self):
        ticket = self._create_ticket()
        # an internal note, even naming the customer
        self._post(ticket, user=self.agent, subtype_xmlid="mail.mt_note")
        # an automated message
        self._post(ticket, user=self.agent, message_type="notification")
        self._post(ticket, user=self.agent, message_type="auto_comment")
        # OdooBot
        self._post(ticket, user=self.env.ref("base.user_root"))
        # a message to nobody in particular
        self._post(ticket, user=self.agent, partner_ids=[])
        # the customer writing to us
        ticket.message_post(
            body="Where is my bread?",
            author_id=self.contact.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(self.contact.custcare_last_contact_date)
        self.assertFalse(self.customer.custcare_last_contact_date)

    def test_a_notice_sent_by_a_rule_is_not_a_contact(self):
        ticket = self._create_ticket()
        self.env["custcare.improvement.point"].create(
            {"name": "Boxes", "partner_id": self.contact.id, "ticket_id": ticket.id}
        )
        ticket.with_user(self.agent).stage_id = self.stage_done
        self.assertTrue(ticket.custcare_rating_ids, "the notice went out")
        self.assertFalse(self.customer.custcare_last_contact_date)

    def test_a_call_or_meeting_done_on_the_customer_counts(self):
        with freeze_time("2027-03-01 20:30:00"):
            activity = self.customer.activity_schedule(
                "mail.mail_activity_data_call", user_id=self.rep.id
            )
            activity.with_user(self.rep).action_feedback(feedback="Talked")
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 3, 2))
        with freeze_time("2027-03-10 12:00:00"):
            todo = self.customer.activity_schedule(
                "mail.mail_activity_data_todo", user_id=self.rep.id
            )
            todo.action_feedback(feedback="Sent the catalogue")
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 3, 2))

    def test_a_contact_moves_the_date_forward_never_back(self):
        """The date is written beside the message, without the partner's
        write(): what is computed from it follows, and an older message (a
        clock behind, an import) never moves it back."""
        with freeze_time("2027-03-05 09:00:00"):
            self._post(self._create_ticket(), user=self.agent)
        self.assertEqual(self.contact.custcare_last_contact_date, date(2027, 3, 5))
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 3, 5))
        self.assertEqual(self.customer.custcare_next_contact_date, date(2027, 4, 5))
        self.assertEqual(
            self.env["res.partner"].search(
                [("custcare_next_contact_date", "=", date(2027, 4, 5))]
            ),
            self.customer,
            "the stored fields computed from it are written too",
        )
        with freeze_time("2027-03-03 09:00:00"):
            self._post(self._create_ticket(), user=self.agent)
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 3, 5))

    def test_a_colleague_among_the_recipients_is_no_customer(self):
        colleague = new_test_user(self.env, login="custcare_colleague")
        self._post(
            self._create_ticket(), user=self.agent, partner_ids=colleague.partner_id.ids
        )
        self.assertFalse(colleague.partner_id.custcare_last_contact_date)
        self.assertFalse(self.customer.custcare_last_contact_date)

    def test_a_subtype_made_internal_stops_counting(self):
        """Internal subtypes are cached: changing one is seen at once."""
        subtype = self.env["mail.message.subtype"].create({"name": "Heads-up"})
        ticket = self._create_ticket()
        with freeze_time("2027-03-01 09:00:00"):
            self._post(
                ticket, user=self.agent, subtype_id=subtype.id, subtype_xmlid=None
            )
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 3, 1))
        subtype.internal = True
        with freeze_time("2027-03-02 09:00:00"):
            self._post(
                ticket, user=self.agent, subtype_id=subtype.id, subtype_xmlid=None
            )
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 3, 1))

    def test_recomputing_keeps_messages_as_contacts(self):
        """Deleting a closed conversation recomputes the last contact from
        every source, messages included."""
        with freeze_time("2027-03-01 12:00:00"):
            self._post(self._create_ticket(), user=self.agent)
        with freeze_time("2027-03-05 09:00:00"):
            conversation = self._create_conversation(
                improvement_point_ids=[
                    (0, 0, {"name": "Rye", "partner_id": self.contact.id})
                ]
            )
            conversation.action_close()
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 3, 5))
        conversation.with_user(self.manager).unlink()
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 3, 1))


@tagged("post_install", "-at_install")
class TestTimeline(CustcareCommon):
    """What a rep reads before calling: every kind of interaction, newest
    first, as that rep may see it."""

    def test_every_kind_of_interaction_in_one_view(self):
        self.contact.email = "ann@acme-bakery.example.com"
        with freeze_time("2027-03-01 09:00:00"):
            self._create_conversation(summary="<p>Talked about rye</p>")
        with freeze_time("2027-03-02 09:00:00"):
            ticket = self._create_ticket(custcare_temperature="hot")
        with freeze_time("2027-03-03 09:00:00"):
            ticket.message_post(
                body="Where is my bread?",
                author_id=self.contact.id,
                message_type="email",
                subtype_xmlid="mail.mt_comment",
            )
        with freeze_time("2027-03-04 09:00:00"):
            ticket.with_user(self.agent).message_post(
                body="On the first van tomorrow.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.contact.ids,
            )
        with freeze_time("2027-03-05 09:00:00"):
            self.customer.activity_schedule(
                "mail.mail_activity_data_call", user_id=self.rep.id
            ).with_user(self.rep).action_feedback(feedback="Talked")
        with freeze_time("2027-03-06 09:00:00"):
            self.env["custcare.improvement.point"].create(
                {"name": "Boxes", "partner_id": self.contact.id, "ticket_id": ticket.id}
            )
            ticket.stage_id = self.stage_done
            ticket._custcare_record_answer("good", "Fine now")
        # a rep without helpdesk rights sees no ticket nor its messages
        kinds = [
            item["kind"]
            for item in self.customer.with_user(self.rep)._custcare_timeline_items()
        ]
        self.assertNotIn("Ticket", kinds)
        self.assertNotIn("From the customer", kinds)
        self.rep.group_ids |= self.env.ref("helpdesk_mgmt.group_helpdesk_user")
        items = self.customer.with_user(self.rep)._custcare_timeline_items()
        kinds = [item["kind"] for item in items]
        for kind in (
            "Conversation",
            "Ticket",
            "From the customer",
            "To the customer",
            "Call",
            "Answer",
            "Temperature",
        ):
            self.assertIn(kind, kinds)
        self.assertEqual(
            [item["when"] for item in items],
            sorted((item["when"] for item in items), reverse=True),
        )
        html = self.customer.with_user(self.rep).custcare_timeline
        self.assertIn("Where is my bread?", html)
        self.assertIn("Fine now", html)


@tagged("post_install", "-at_install")
class TestAwaitingReply(CustcareCommon):
    """No written request ignored."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_agent = new_test_user(
            cls.env, login="custcare_owner", groups="helpdesk_mgmt.group_helpdesk_user"
        )

    def _customer_writes(self, ticket, body="Where is my order?"):
        return ticket.message_post(
            body=body,
            author_id=self.contact.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )

    def _owner_replies(self, ticket, body):
        return ticket.with_user(self.own_agent).message_post(
            body=body,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.contact.ids,
        )

    def _run_reminder(self):
        with self.enter_registry_test_mode():
            self.assertIs(
                self.env.ref(
                    "custcare_loop.ir_cron_custcare_reply_reminder"
                ).method_direct_trigger(),
                True,
            )
        self.env.invalidate_all()

    def test_the_oldest_unanswered_message_is_remembered_until_answered(self):
        ticket = self._create_ticket(user_id=self.own_agent.id)
        with freeze_time("2027-03-01 09:00:00"):
            first = self._customer_writes(ticket)
        with freeze_time("2027-03-01 15:00:00"):
            self._customer_writes(ticket, "Hello??")
        self.assertEqual(ticket.custcare_awaiting_reply_since, first.date)
        self.assertEqual(
            self.customer.with_user(self.own_agent).custcare_awaiting_reply_count, 1
        )
        # a note to colleagues is no answer
        ticket.with_user(self.own_agent).message_post(
            body="Checking with the bakery", subtype_xmlid="mail.mt_note"
        )
        self.assertTrue(ticket.custcare_awaiting_reply_since)
        self._owner_replies(ticket, "On its way")
        self.assertFalse(ticket.custcare_awaiting_reply_since)

    def test_who_writes_decides_whether_a_reply_is_awaited(self):
        ticket = self._create_ticket(user_id=self.own_agent.id)
        # the rep writing, as themselves: never awaits a reply
        self._owner_replies(ticket, "Anything else we can do?")
        self.assertFalse(ticket.custcare_awaiting_reply_since)
        # the customer writing from the portal (the portal posts in sudo, as
        # the portal user): awaits a reply
        portal = new_test_user(
            self.env,
            login="ann_portal",
            groups="base.group_portal",
            partner_id=self.contact.id,
        )
        ticket.with_user(portal).sudo().message_post(
            body="Yes: where is my order?",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertTrue(ticket.custcare_awaiting_reply_since)

    def test_a_customer_known_only_by_address_is_answered_by_address(self):
        ticket = self._create_ticket(
            partner_id=False, partner_email="Jo <jo@example.com>"
        )
        ticket.message_post(
            body="Anyone?",
            email_from="Jo <jo@example.com>",
            author_id=False,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertTrue(ticket.custcare_awaiting_reply_since)
        ticket.with_user(self.agent).message_post(
            body="Yes!",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            outgoing_email_to="jo@example.com",
        )
        self.assertFalse(ticket.custcare_awaiting_reply_since)

    def test_the_owner_is_reminded_once_past_the_reply_time(self):
        self.env.company.custcare_reply_hours = 24
        ticket = self._create_ticket(user_id=self.own_agent.id)
        with freeze_time("2027-03-01 09:00:00"):
            self._customer_writes(ticket)
        with freeze_time("2027-03-02 08:00:00"):
            self._run_reminder()
        self.assertFalse(ticket.activity_ids)
        with freeze_time("2027-03-02 10:00:00"):
            self._run_reminder()
            self._run_reminder()
        reminder = ticket.activity_ids
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.own_agent)
        self.assertIn("Reply to the customer", reminder.summary)
        with freeze_time("2027-03-02 10:00:00"):
            late = self.env["helpdesk.ticket"].search(
                [("custcare_reply_late", "=", True)]
            )
        self.assertIn(ticket, late)


@tagged("post_install", "-at_install")
class TestWhoIsACustomerMemo(CustcareCommon):
    def test_the_customer_memo_ends_with_the_transaction(self):
        """Several listeners ask whether a message's author is a customer;
        the answer is kept for the transaction only: an author who becomes an
        employee afterwards is not taken for a customer any more."""
        rules = self.env["custcare.contact.rules"]
        author = self.env["res.partner"].create({"name": "Future Colleague"})
        values = {"message_type": "email", "author_id": author.id}
        self.assertEqual(rules._message_author_kind(values), CUSTOMER)
        new_test_user(
            self.env,
            login="future_colleague",
            groups="base.group_user",
            partner_id=author.id,
        )
        # what a rollback does to the transaction's data (a commit runs the
        # post-commit callbacks, which empties it too)
        self.env.cr.postcommit.clear()
        self.assertEqual(rules._message_author_kind(values), COLLEAGUE)
