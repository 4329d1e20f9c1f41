import os
import traceback
from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.sql_db import Cursor
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

import odoo.addons

from .common import CustcareCommon

# custcare_loop and its bridges live beside each other
REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))


def _query_of_ours(stack):
    """Whether the innermost addon code on ``stack`` (a query being made) is
    custcare_loop's or a bridge's (not a test): a query Odoo makes because
    we override one of its methods is Odoo's, one our code asks is ours."""
    roots = [os.path.join(path, "") for path in odoo.addons.__path__]
    for frame in reversed(stack):
        if frame.filename.startswith(os.path.join(REPOSITORY, "custcare_loop")):
            return f"{os.sep}tests{os.sep}" not in frame.filename
        if any(frame.filename.startswith(root) for root in roots):
            return False
    return False


@tagged("post_install", "-at_install")
class TestNoQueryWithoutACustomer(CustcareCommon):
    """What Odoo does all day long and that touches no customer (a message
    or the composer to colleagues only, an activity done on a record that is
    no customer, a rating that is no answer to our notices) costs no query
    of ours: Odoo's own query-count guards (test_mail, test_mail_full) hold
    with custcare_loop installed (tools/referee). A customer's first contact
    of the day costs one statement."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.colleague = new_test_user(
            cls.env, login="custcare_colleague", name="Colin Colleague"
        )
        cls.campaign = cls.env["custcare.campaign"].create(
            {"name": "New flour", "effective_date": date(2027, 3, 1)}
        )

    @contextmanager
    def _queries(self, flush=True):
        """[(query, ours)] of the queries made while the block runs."""
        queries = []
        execute = Cursor.execute

        def spy(cr, query, params=None, log_exceptions=None):
            code = query.code if isinstance(query, SQL) else query
            queries.append((code, _query_of_ours(traceback.extract_stack()[:-1])))
            return execute(cr, query, params, log_exceptions)

        if flush:
            self.env.flush_all()
        with patch.object(Cursor, "execute", spy):
            yield queries
            if flush:
                self.env.flush_all()

    def _ours(self, queries):
        return [query for query, ours in queries if ours]

    def _post(self, record, user, partners, **kwargs):
        return record.with_user(user).message_post(
            body="About the new flour",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=partners.ids,
            **kwargs,
        )

    def test_a_message_to_colleagues_only(self):
        self._post(self.campaign, self.manager, self.colleague.partner_id)  # warm
        with self._queries() as queries:
            self._post(self.campaign, self.manager, self.colleague.partner_id)
        self.assertTrue(queries)
        self.assertEqual(self._ours(queries), [])

    def test_a_message_signed_by_a_colleague_to_colleagues(self):
        """A template signed by the record's salesperson: the author is
        another user; who they are is known without asking."""
        self._post(self.campaign, self.manager, self.colleague.partner_id)  # warm
        with self._queries() as queries:
            self._post(
                self.campaign,
                self.manager,
                self.colleague.partner_id,
                author_id=self.rep.partner_id.id,
            )
        self.assertEqual(self._ours(queries), [])

    def test_the_composer_to_colleagues_only(self):
        def send():
            self.env["mail.compose.message"].with_user(self.manager).with_context(
                default_composition_mode="comment",
                default_model=self.campaign._name,
                default_res_ids=self.campaign.ids,
            ).create(
                {
                    "body": "<p>The samples are ready</p>",
                    "partner_ids": self.colleague.partner_id.ids,
                }
            )._action_send_mail()

        send()  # warm
        with self._queries() as queries:
            send()
        self.assertTrue(queries)
        self.assertEqual(self._ours(queries), [])

    @freeze_time("2027-03-01 10:00:00")
    def test_a_customers_first_contact_of_the_day_is_one_statement(self):
        """One UPDATE writes the day for the contact and their company; the
        care dates computed from it read only what is not loaded yet (the
        company, here)."""
        self._post(self.campaign, self.manager, self.colleague.partner_id)  # warm
        with self._queries() as queries:
            self._post(self.campaign, self.manager, self.contact)
        ours = self._ours(queries)
        writes = [query for query in ours if not query.lstrip().startswith("SELECT")]
        self.assertEqual(len(writes), 1, ours)
        self.assertIn("custcare_last_contact_date", writes[0])
        self.assertLessEqual(len(ours), 2, ours)
        self.assertEqual(self.contact.custcare_last_contact_date, date(2027, 3, 1))
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 3, 1))
        # written to again the same day, in the same transaction (a loop, the
        # composer on several records): known contacted, nothing asked
        with self._queries() as queries:
            self._post(self.campaign, self.manager, self.contact)
            self._post(self.campaign, self.manager, self.customer)
        self.assertEqual(self._ours(queries), [])
        # the next day: one statement again
        with freeze_time("2027-03-02 10:00:00"), self._queries() as queries:
            self._post(self.campaign, self.manager, self.customer)
        self.assertEqual(len(self._ours(queries)), 1, self._ours(queries))
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 3, 2))
        self.assertEqual(self.contact.custcare_last_contact_date, date(2027, 3, 1))

    def test_an_activity_done_on_a_record_that_is_no_customer(self):
        def call():
            return self.campaign.activity_schedule(
                "mail.mail_activity_data_call", user_id=self.manager.id
            )

        call().with_user(self.manager).action_feedback(feedback="Warm")
        activity = call().with_user(self.manager)
        with self._queries() as queries:
            activity.action_feedback(feedback="Talked to the mill")
        self.assertTrue(queries)
        self.assertEqual(self._ours(queries), [])

    def test_finding_a_rating_by_its_token_writes_nothing(self):
        """Odoo applies a rating after finding it by its token; a helpdesk
        agent's search must not write the ratings being made (it did: two
        queries more per rating in Odoo's rating benchmark)."""
        ticket = self._create_ticket()
        Rating = self.env["rating.rating"].sudo()
        values = {
            "res_model_id": self.env["ir.model"]._get_id("helpdesk.ticket"),
            "res_id": ticket.id,
            "partner_id": self.contact.id,
        }
        rating = Rating.create(values)
        self.env.flush_all()
        Rating.create(values)  # a rating being made: not flushed yet
        with self._queries(flush=False) as queries:
            found = (
                self.env["rating.rating"]
                .with_user(self.agent)
                .search([("access_token", "=", rating.access_token)])
            )
        self.assertEqual(found, rating)
        self.assertEqual(
            [query for query, _ours in queries if "UPDATE" in query.upper()], []
        )
