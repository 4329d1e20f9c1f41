import logging

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import SQL

from ..utils.cron_isolation import at_once_or_each, each_isolated

_logger = logging.getLogger(__name__)

# serialises the contact scheduler across workers, servers and calls
SCHEDULER_LOCK = 7_461_019_001


class ResPartner(models.Model):
    """The contact scheduler: each due or overdue customer gets exactly one
    open proactive-contact activity."""

    _inherit = "res.partner"

    @api.model
    def _custcare_due_domain(self, activity_type):
        """Due or overdue partners without an open proactive contact (planned
        by the scheduler or by hand), that someone can be assigned to (a
        salesperson, or their care company's fallback rep)."""
        # sudo: res.company - every company's fallback rep: the job schedules
        # customers of all companies, whichever user it runs as
        with_fallback = (
            self.env["res.company"]
            .sudo()
            .search([("custcare_fallback_user_id", "!=", False)])
        )
        return (
            Domain("custcare_contact_state", "in", ("due", "overdue"))
            & Domain(
                "activity_ids",
                "not any",
                [("activity_type_id", "=", activity_type.id)],
            )
            & Domain.OR(
                [
                    Domain("user_id", "!=", False),
                    Domain("commercial_partner_id.user_id", "!=", False),
                    Domain("custcare_company_id", "in", with_fallback.ids),
                ]
            )
        )

    def _custcare_contact_user(self):
        """Who makes the proactive contact: the salesperson, else the care
        company's fallback rep; never an archived user nor OdooBot."""
        self.ensure_one()
        company = self.custcare_company_id or self.company_id or self.env.company
        return self.env["custcare.owner.mixin"]._custcare_real_user(
            self.user_id,
            self.commercial_partner_id.user_id,
            company.custcare_fallback_user_id,
        )

    def _custcare_contact_activity_vals(self, activity_type, model_id):
        self.ensure_one()
        user = self._custcare_contact_user()
        if not user:
            return None
        # in the language of the rep who reads it (the job runs as OdooBot)
        activity_type = activity_type.with_context(lang=user.lang or self.env.lang)
        return {
            "res_model_id": model_id,
            "res_id": self.id,
            "activity_type_id": activity_type.id,
            "summary": activity_type.summary or activity_type.name,
            "note": activity_type.default_note,
            "user_id": user.id,
            "date_deadline": self.custcare_next_contact_date,
            "custcare_scheduled": True,
        }

    @api.model
    def _custcare_schedule_contacts_batch(self, activity_type, after_id=0, limit=10000):
        """Give the next due partners (by id, after ``after_id``) their
        proactive-contact activity. Returns (partners seen, activities made).
        Returns None when another run holds the scheduler lock: a
        transaction-level advisory lock, taken first in the transaction so that
        its snapshot sees every activity the previous holder committed;
        concurrent runs never create the same activity twice. When the batched
        create fails, each partner is tried alone: one bad partner is logged
        and skipped, the others are scheduled."""
        [[locked]] = self.env.execute_query(
            SQL("SELECT pg_try_advisory_xact_lock(%s)", SCHEDULER_LOCK)
        )
        if not locked:
            return None
        partners = self.search_fetch(
            self._custcare_due_domain(activity_type) & Domain("id", ">", after_id),
            ["custcare_next_contact_date", "user_id", "commercial_partner_id"],
            order="id",
            limit=limit,
        )
        Activity = self.env["mail.activity"].with_context(
            mail_activity_quick_update=True
        )
        if not partners:
            return partners, Activity
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        for partner in partners:
            try:
                vals = partner._custcare_contact_activity_vals(activity_type, model_id)
            except Exception:  # one bad partner, not the batch
                _logger.exception(
                    "custcare: no proactive contact for partner %s", partner.id
                )
                continue
            if vals is None:
                _logger.info(
                    "custcare: no salesperson or fallback rep for partner %s, "
                    "no proactive contact scheduled",
                    partner.id,
                )
                continue
            vals_list.append(vals)
        try:
            with self.env.cr.savepoint():
                return partners, Activity.create(vals_list)
        except Exception:  # noqa: BLE001 - fall back to one partner at a time
            _logger.warning(
                "custcare: scheduling %s proactive contacts at once failed; "
                "scheduling them one by one",
                len(vals_list),
            )
        made = []

        def schedule(partner):
            vals = partner._custcare_contact_activity_vals(activity_type, model_id)
            if vals:
                made.append(Activity.create(vals).id)

        each_isolated(partners, schedule, "proactive contact")
        return partners, Activity.browse(made)

    @api.model
    def _custcare_clear_stale_contact_activities(self, activity_type):
        """A partner no longer due (cadence removed or changed) loses the open
        proactive contact the scheduler gave it; one a rep planned by hand
        stays."""
        stale = self.env["mail.activity"].search(
            [
                ("activity_type_id", "=", activity_type.id),
                ("custcare_scheduled", "=", True),
                ("res_model", "=", "res.partner"),
                (
                    "res_id",
                    "in",
                    self.with_context(active_test=False)._search(
                        [("custcare_contact_state", "not in", ("due", "overdue"))]
                    ),
                ),
            ]
        )
        at_once_or_each(
            stale, lambda activities: activities.unlink(), "removing stale contacts"
        )
        return len(stale)

    def action_custcare_schedule_contacts(self):
        """Run the contact scheduler now (managers, from the care board)."""
        if not self.env.user.has_group("custcare_loop.group_custcare_manager"):
            raise AccessError(
                self.env._("Only Customer Care managers can run the contact scheduler.")
            )
        # sudo: ir.cron - a Customer Care manager (checked above) asks the
        # scheduler to run soon: only a trigger of that job is created
        self.env.ref(
            "custcare_loop.ir_cron_custcare_schedule_contacts"
        ).sudo()._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "The proactive contacts are being scheduled; reload in a "
                    "moment to see them."
                ),
            },
        }

    @api.model
    def _cron_custcare_schedule_contacts(self, batch_size=10000):
        """Give each due or overdue partner one open proactive-contact
        activity for its salesperson (or the fallback rep)."""
        cron = self.env["ir.cron"]
        activity_type = self.env.ref(
            "custcare_loop.mail_activity_type_proactive_contact"
        )
        # neither may keep the due customers from being scheduled
        for step, what in (
            (self._custcare_refresh_contact_states, "ageing the care states"),
            (
                lambda: self._custcare_clear_stale_contact_activities(activity_type),
                "removing stale proactive contacts",
            ),
        ):
            try:
                with self.env.cr.savepoint():
                    step()
            except Exception:  # logged; the due customers are still scheduled
                _logger.exception("custcare: %s failed; scheduling goes on", what)
        remaining = self.search_count(self._custcare_due_domain(activity_type))
        cron._commit_progress(remaining=remaining)
        after_id = 0
        while True:
            result = self._custcare_schedule_contacts_batch(
                activity_type, after_id=after_id, limit=batch_size
            )
            if result is None:
                _logger.info("custcare: another contact scheduler is running")
                break
            partners, _activities = result
            if not partners:
                break
            after_id = partners[-1].id
            remaining = max(remaining - len(partners), 0)
            if not cron._commit_progress(len(partners), remaining=remaining):
                break
            # keep memory flat over many batches
            self.env.invalidate_all()
