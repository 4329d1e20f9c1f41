from odoo import models


class ResUsers(models.Model):
    """The top bar's activities: proactive contacts are their own group,
    named as such, rather than mixed into "Contact"."""

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
            [
                ("user_id", "=", self.env.uid),
                ("res_model", "=", "res.partner"),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        readable = (
            self.env["res.partner"]
            .browse(set(activities.mapped("res_id")))
            .exists()
            ._filtered_access("read")
        )
        counts = {"overdue_count": 0, "today_count": 0, "planned_count": 0}
        for partner_activities in (
            activities.filtered(lambda a: a.res_id in readable.ids)
            .grouped("res_id")
            .values()
        ):
            states = set(partner_activities.mapped("state"))
            state = next(s for s in ("overdue", "today", "planned") if s in states)
            counts[f"{state}_count"] += 1
        total = counts["overdue_count"] + counts["today_count"]
        if not (total or counts["planned_count"]):
            return groups
        for key, value in counts.items():
            partner_group[key] = max(partner_group[key] - value, 0)
        partner_group["total_count"] = max(partner_group["total_count"] - total, 0)
        proactive = dict(
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
            total_count=total,
            **counts,
        )
        groups.insert(groups.index(partner_group), proactive)
        if not (
            partner_group["total_count"]
            or partner_group["planned_count"]
            or self.env["mail.activity"].search_count(
                [
                    ("user_id", "=", self.env.uid),
                    ("res_model", "=", "res.partner"),
                    ("activity_type_id", "!=", activity_type.id),
                ],
                limit=1,
            )
        ):
            groups.remove(partner_group)
        return groups
