"""Query counts of the scheduled actions, run as the scheduler runs them
(``ir.cron.method_direct_trigger``, as OdooBot): a batch costs the same
queries whether it holds 10 customers or 30 (issue 17). Times are the
benches' business."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CustcareCommon
from .common_week_one import WeekOneCommon

# The health job: the scheduler's bookkeeping (12) and the candidates (1);
# per batch its savepoint (2), the signals (one query per kind, 9), what
# res.partner's write() reads and the one UPDATE of every customer's values
# (4), the batch's progress (2).
HEALTH_RUN = 13
HEALTH_BATCH = 17
# The contact scheduler: the scheduler's bookkeeping (12), the activity type
# (1), ageing the care states and removing stale contacts, each in its
# savepoint (10), counting the due customers and the first progress (4), the
# last look that finds none left (3); per batch the lock and the due
# customers (3), their salespeople and the activity type in their language
# (5), the activities created at once in a savepoint (17: Odoo subscribes
# each salesperson once, two here), the batch's progress (2).
SCHEDULER_RUN = 30
SCHEDULER_BATCH = 27
# The ticket jobs (utils/cron_isolation.py process_in_batches) isolate each
# ticket in its own savepoint and post it its own notice (or plan its own
# activity): a cost per ticket, the same for each, whatever the batch.
PROMISE_WATCH_RUN = 35
PROMISE_WATCH_TICKET = 21
LATER_CHECK_RUN = 40
LATER_CHECK_TICKET = 25
REPLY_REMINDER_RUN = 37
REPLY_REMINDER_TICKET = 23
# What the neighbours add when installed (tools/test runs these tests beside
# OCA's helpdesk companions and this repository's bridges too): each bridge's
# health signal is one query per batch; helpdesk_mgmt_rating recomputes a
# ticket's rating percentages (2) when the later check's rating is made.
HEALTH_BATCH_BESIDE = {
    "custcare_loop_account": 1,
    "custcare_loop_crm": 1,
    "custcare_loop_sale_stock": 1,
}
LATER_CHECK_TICKET_BESIDE = {"helpdesk_mgmt_rating": 2}


def _beside(env, extra):
    """The queries the installed modules of ``extra`` add."""
    installed = env["ir.module.module"].search(
        [("name", "in", list(extra)), ("state", "=", "installed")]
    )
    return sum(extra[name] for name in installed.mapped("name"))


@tagged("post_install", "-at_install")
class TestPartnerCronQueries(CustcareCommon):
    """The health job and the contact scheduler read and write a batch at
    once: no query per customer."""

    def _run_cron(self, cron):
        with self.enter_registry_test_mode():
            self.assertIs(cron.method_direct_trigger(), True)
        self.env.invalidate_all()

    def _customers(self, count):
        """``count`` customer companies seen every four weeks, two salespeople
        taking turns, each last contacted a day before the previous one: each
        overdue by its own number of days, so that each has its own health
        reasons (nothing shared to write at once)."""
        return self.env["res.partner"].create(
            [
                {
                    "name": f"Customer {count}-{i}",
                    "is_company": True,
                    "user_id": (self.rep if i % 2 else self.manager).id,
                    "custcare_interval_number": 4,
                    "custcare_interval_type": "weeks",
                    "custcare_care_start_date": date(2027, 1, 1),
                    "custcare_last_contact_date": date(2027, 4, 1) - timedelta(days=i),
                }
                for i in range(count)
            ]
        )

    def _assert_health_refreshed(self, customers):
        self.assertEqual(
            set(customers.mapped("custcare_health_date")), {date(2027, 6, 15)}
        )
        self.assertEqual(
            len(set(customers.mapped("custcare_health_reasons"))), len(customers)
        )

    def _assert_contacts_planned(self, customers):
        activity_type = self.env.ref(
            "custcare_loop.mail_activity_type_proactive_contact"
        )
        for customer in customers:
            self.assertEqual(customer.activity_ids.activity_type_id, activity_type)
            self.assertEqual(customer.activity_ids.user_id, customer.user_id)

    @freeze_time("2027-06-15 03:00:00")
    def test_the_health_job_costs_the_same_for_10_or_30_customers(self):
        cron = self.env.ref("custcare_loop.ir_cron_custcare_health")
        batch = HEALTH_BATCH + _beside(self.env, HEALTH_BATCH_BESIDE)
        self._run_cron(cron)  # today's run: the demo customers, the caches
        for count in (10, 30):
            customers = self._customers(count)
            with self.assertQueryCount(__system__=HEALTH_RUN + batch):
                self._run_cron(cron)
            self._assert_health_refreshed(customers)

    @freeze_time("2027-06-15 03:00:00")
    def test_the_health_job_costs_the_same_per_batch(self):
        cron = self.env.ref("custcare_loop.ir_cron_custcare_health")
        cron.code = "model._cron_custcare_health(batch_size=10)"
        batch = HEALTH_BATCH + _beside(self.env, HEALTH_BATCH_BESIDE)
        self._run_cron(cron)
        customers = self._customers(10)
        with self.assertQueryCount(__system__=HEALTH_RUN + batch):
            self._run_cron(cron)
        self._assert_health_refreshed(customers)
        customers = self._customers(30)  # three batches
        with self.assertQueryCount(__system__=HEALTH_RUN + 3 * batch):
            self._run_cron(cron)
        self._assert_health_refreshed(customers)

    @freeze_time("2027-06-15 03:00:00")
    def test_the_contact_scheduler_costs_the_same_for_10_or_30_customers(self):
        cron = self.env.ref("custcare_loop.ir_cron_custcare_schedule_contacts")
        self._run_cron(cron)  # the demo customers, the caches
        for count in (10, 30):
            customers = self._customers(count)
            with self.assertQueryCount(__system__=SCHEDULER_RUN + SCHEDULER_BATCH):
                self._run_cron(cron)
            self._assert_contacts_planned(customers)

    @freeze_time("2027-06-15 03:00:00")
    def test_the_contact_scheduler_costs_the_same_per_batch(self):
        cron = self.env.ref("custcare_loop.ir_cron_custcare_schedule_contacts")
        cron.code = "model._cron_custcare_schedule_contacts(batch_size=10)"
        self._run_cron(cron)
        customers = self._customers(10)
        with self.assertQueryCount(__system__=SCHEDULER_RUN + SCHEDULER_BATCH):
            self._run_cron(cron)
        self._assert_contacts_planned(customers)
        customers = self._customers(30)  # three batches
        with self.assertQueryCount(__system__=SCHEDULER_RUN + 3 * SCHEDULER_BATCH):
            self._run_cron(cron)
        self._assert_contacts_planned(customers)


@tagged("post_install", "-at_install")
class TestTicketCronQueries(WeekOneCommon):
    """The ticket jobs (process_in_batches): each ticket costs the same
    number of queries, whether its batch holds 10 tickets or 30."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.custcare_reply_hours = 24

    def _tickets(self, count, **vals):
        tickets = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .create(
                [
                    {
                        "name": f"Late delivery {i}",
                        "description": "<p>The bread came late.</p>",
                        "partner_id": self.contact.id,
                        "user_id": self.owner.id,
                        **vals,
                    }
                    for i in range(count)
                ]
            )
        )
        self._flush_tracking()
        return tickets

    def _assert_run_costs(self, xmlid, make, run, per_ticket, done):
        """Runs the job ``xmlid`` once on what is there (the demo tickets,
        the caches), then on 10 and 30 tickets from ``make(count)``."""
        self._run_cron(xmlid)
        for count in (10, 30):
            tickets = make(count)
            with self.assertQueryCount(__system__=run + count * per_ticket):
                self._run_cron(xmlid)
            self.assertEqual(set(tickets.mapped(done)), {True})

    @freeze_time("2027-05-02 12:00:00")
    def test_the_promise_watch_costs_the_same_per_ticket(self):
        self._assert_run_costs(
            "custcare_loop.ir_cron_custcare_promise_watch",
            lambda count: self._tickets(
                count, custcare_promised_date=datetime(2027, 5, 1, 12)
            ),
            PROMISE_WATCH_RUN,
            PROMISE_WATCH_TICKET,
            "custcare_promise_notified",
        )

    @freeze_time("2027-04-01 10:00:00")
    def test_the_later_check_costs_the_same_per_ticket(self):
        def resolved(count):
            tickets = self._tickets(count)
            with freeze_time("2027-03-01 10:00:00"):
                for ticket in tickets:
                    self._resolve(ticket)
            return tickets

        self._assert_run_costs(
            "custcare_loop.ir_cron_custcare_later_check",
            resolved,
            LATER_CHECK_RUN,
            LATER_CHECK_TICKET + _beside(self.env, LATER_CHECK_TICKET_BESIDE),
            "custcare_later_check_sent",
        )

    @freeze_time("2027-03-02 10:00:00")
    def test_the_reply_reminder_costs_the_same_per_ticket(self):
        def waiting(count):
            tickets = self._tickets(count)
            with freeze_time("2027-03-01 09:00:00"):
                for ticket in tickets:
                    self._customer_writes(ticket)
            return tickets

        self._assert_run_costs(
            "custcare_loop.ir_cron_custcare_reply_reminder",
            waiting,
            REPLY_REMINDER_RUN,
            REPLY_REMINDER_TICKET,
            "custcare_reply_reminded",
        )
