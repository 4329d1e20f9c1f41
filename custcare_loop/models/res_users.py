from odoo import models

STATES = ("overdue", "today", "planned")


class ResUsers(models.Model):
    """The top bar's activities: proactive contacts are their own group,
    named as such, rather than mixed into "Contact"; each group counts only
    its own activities, and the proactive contacts open as what they are (a
    list of the proactive contacts, each opening its customer), not as the
    customers with every other activity they have (a campaign's call)."""

    _inherit = "res.users"

    def _get_activity_groups(self):
        groups = super()._get_activity_groups()
        partner_group = next((g for g in groups if g["model"] == "res.partner"), None)
        activity_type = self.env.ref(
            "custcare_loop.mail_activity_type_proactive_contact",
            raise_if_not_found=False,
        )
        if not partner_group or not activity_type:
            return groups
        activities = self.env["mail.activity"].search(
            [("user_id", "=", self.env.uid), ("res_model", "=", "res.partner")]
        )
        readable = (
            self.env["res.partner"]
            .browse(set(activities.mapped("res_id")))
            .exists()
            ._filtered_access("read")
        )
        activities = activities.filtered(lambda a: a.res_id in readable.ids)
        proactive = activities.filtered(lambda a: a.activity_type_id == activity_type)
        if not proactive:
            return groups
        others = activities - proactive
        partner_group.update(self._custcare_activity_counts(others))
        groups.insert(
            groups.index(partner_group),
            dict(
                partner_group,
                name=self.env._("Proactive Contact"),
                domain=list(partner_group.get("domain") or [])
                + [
                    (
                        "activity_ids",
                        "any",
                        [
                            ("activity_type_id", "=", activity_type.id),
                            ("user_id", "=", self.env.uid),
                        ],
                    )
                ],
                # opened by the top bar as the list of the proactive contacts
                # (static/src/activity/activity_menu_patch.js)
                custcare_action="custcare_loop.mail_activity_action_proactive_contact",
                **self._custcare_activity_counts(proactive),
            ),
        )
        if not others:
            groups.remove(partner_group)
        return groups

    @staticmethod
    def _custcare_activity_counts(activities):
        """The top bar's counts, as Odoo makes them: each record once, in
        the most urgent state of its activities."""
        counts = dict.fromkeys((f"{state}_count" for state in STATES), 0)
        for record_activities in activities.grouped("res_id").values():
            states = set(record_activities.mapped("state"))
            state = next(s for s in STATES if s in states)
            counts[f"{state}_count"] += 1
        counts["total_count"] = counts["overdue_count"] + counts["today_count"]
        return counts
