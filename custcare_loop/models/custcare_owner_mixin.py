from odoo import SUPERUSER_ID, api, models


class CustcareOwnerMixin(models.AbstractModel):
    """Who follows a record up: activities made by the addon (often from a
    scheduled job, running as OdooBot, or from a public page) go to a real
    person, never to OdooBot or the public user."""

    _name = "custcare.owner.mixin"
    _description = "Customer Care: who follows a record up"

    def _custcare_responsible_user(self):
        """The record's owner, else its company's fallback rep. Overridden
        per model; never OdooBot nor a portal user."""
        self.ensure_one()
        company = self.company_id if "company_id" in self._fields else False
        return self._custcare_real_user(
            self["user_id"] if "user_id" in self._fields else False,
            (company or self.env.company).custcare_fallback_user_id,
        )

    @api.model
    def _custcare_real_user(self, *candidates):
        """The first candidate that is an active internal user other than
        OdooBot; an empty recordset when none is."""
        for user in candidates:
            # OdooBot (base.user_root) is the superuser: known without a
            # query (env.ref() asks whether it exists, once per record)
            if user and user.active and not user.share and not user._is_superuser():
                return user
        return self.env["res.users"]

    def _custcare_schedule_follow_up(
        self, act_type_xmlid, summary, note="", user=None, date_deadline=None
    ):
        """An activity on each record for ``user`` (default: its responsible
        user); unassigned (visible on the record) rather than given to
        OdooBot or the public user when nobody is responsible. ``summary``
        and ``note`` may be functions of an environment: they are then
        written in the language of whoever the activity is for (a scheduled
        job runs as OdooBot, in its language, not the owner's)."""
        activities = self.env["mail.activity"]
        # planned from a public page: by OdooBot, never "by the Public user"
        records = self.with_user(SUPERUSER_ID) if self.env.user._is_public() else self
        for record in records:
            assignee = user if user is not None else record._custcare_responsible_user()
            env = record.with_context(lang=assignee.lang or record.env.lang).env
            activities |= record.activity_schedule(
                act_type_xmlid,
                date_deadline=date_deadline,
                summary=summary(env) if callable(summary) else summary,
                note=note(env) if callable(note) else note,
                user_id=assignee.id or False,
            )
        return activities
