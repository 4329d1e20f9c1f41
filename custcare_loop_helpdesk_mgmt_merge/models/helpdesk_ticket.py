from functools import reduce

from odoo import models
from odoo.tools import SQL

from odoo.addons.custcare_loop.utils.competitor_matcher import html_to_scan_text
from odoo.addons.custcare_loop.utils.temperature import HOT, hotter


class HelpdeskTicket(models.Model):
    """Merging tickets (helpdesk_mgmt_merge) keeps what Customer Care knows
    of each of them on the ticket they are merged into."""

    _inherit = "helpdesk.ticket"

    def _custcare_scan_description(self):
        # while tickets are merged, the destination's description is scanned
        # once the merged tickets' mentions are on it (_custcare_merge_into)
        if self.env.context.get("custcare_merge_defer_scan"):
            return
        return super()._custcare_scan_description()

    def _custcare_merge_into(self, destination):
        """Move to ``destination`` what Customer Care knows of these tickets
        (``destination`` itself left aside), once helpdesk_mgmt_merge has
        moved their messages and archived them; then scan the destination's
        merged description."""
        destination.ensure_one()
        merged = self - destination
        if merged:
            merged._custcare_merge_points(destination)
            merged._custcare_merge_ratings(destination)
            merged._custcare_merge_mentions(destination)
            merged._custcare_merge_care_fields(destination)
        destination.with_context(
            custcare_merge_defer_scan=False
        )._custcare_scan_description()

    def _custcare_merge_points(self, destination):
        """The improvement points, archived ones too. These tickets, archived
        by the merge, may be closed: custcare_loop's rule that a closed ticket
        keeps a point does not hold them back, the points stay on a live
        ticket (custcare.improvement.point)."""
        # sudo: custcare.improvement.point - every point of the merged tickets
        # goes with them, archived ones too, whoever merges (the merge checked
        # their right on the tickets; a helpdesk agent may not be a Customer
        # Care user)
        points = (
            self.env["custcare.improvement.point"]
            .sudo()
            .with_context(active_test=False)
            .search([("ticket_id", "in", self.ids)])
        )
        points.with_context(custcare_merged_ticket_ids=self.ids).write(
            {"ticket_id": destination.id}
        )

    def _custcare_merge_ratings(self, destination):
        """The customer's answers (every rating of these tickets, Customer
        Care questions or not) with the chatter notes that recorded them; each
        rating keeps its value, comment, state and dates. Odoo orders ratings
        and counts them in time windows by their ``write_date``: moving one
        must not make an old answer look new."""
        # sudo: rating.rating - the customer's answers follow their ticket,
        # unchanged: only Customer Care managers may change answers (see
        # rating_rating_access)
        ratings = (
            self.env["rating.rating"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "in", self.ids)])
        )
        if not ratings:
            return
        write_dates = [(rating.id, rating.write_date) for rating in ratings]
        # helpdesk_mgmt_merge leaves notifications behind; an answer's note is one
        ratings.message_id.filtered(
            lambda message: message.model == self._name and message.res_id in self.ids
        ).write({"res_id": destination.id})
        # with the model, rating recomputes the parent (the destination's team)
        ratings.write(
            {
                "res_model_id": self.env["ir.model"]._get_id(self._name),
                "res_id": destination.id,
            }
        )
        # every pending write and computation of these ratings first (their
        # write_date among them), which to_flush cannot name
        ratings.flush_recordset()
        self.env.execute_query(
            SQL(
                """UPDATE rating_rating AS rating
                      SET write_date = moved.write_date
                     FROM (VALUES %s) AS moved(id, write_date)
                    WHERE rating.id = moved.id""",
                SQL(", ").join(
                    SQL("(%s, %s::timestamp)", rating_id, write_date)
                    for rating_id, write_date in write_dates
                ),
            )
        )
        ratings.invalidate_recordset(["write_date"])

    def _custcare_merge_mentions(self, destination):
        """The competitor mentions, none lost, none counted twice, each with
        its customer and date. A message's mention keeps its key: the message
        is on the destination now. A mention from a merged description is
        the destination's description mention of that competitor when the
        destination's description (which now holds the merged text) names it
        and has none yet: the coming scan then keeps it instead of recording
        the competitor again. Otherwise (the destination's own text named the
        competitor too, or the competitor is no longer matched) it stays a
        mention of its own, keyed ``description:<merged ticket id>``, which no
        scan of the destination's description touches."""
        # sudo: custcare.competitor.mention - every mention of the merged
        # tickets moves, whoever merges: Customer Care users read only their
        # customers' mentions, helpdesk agents none
        Mention = self.env["custcare.competitor.mention"].sudo()
        mentions = Mention.search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)],
            order="date, id",
        )
        if not mentions:
            return
        matcher = self.env["custcare.competitor"]._custcare_matcher()
        named = (
            matcher.find(html_to_scan_text(destination.description)) if matcher else {}
        )
        taken = set(
            Mention.search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", destination.id),
                    ("source_key", "=", "description"),
                ]
            ).competitor_id.ids
        )
        own_mentions = {}
        for mention in mentions.filtered(lambda m: m.source_key == "description"):
            competitor_id = mention.competitor_id.id
            if competitor_id in named and competitor_id not in taken:
                taken.add(competitor_id)
            else:
                key = f"description:{mention.res_id}"
                own_mentions[key] = own_mentions.get(key, Mention) | mention
        moved = {"res_id": destination.id, "source_name": destination.display_name}
        for key, group in own_mentions.items():
            group.write({**moved, "source_key": key})
        mentions.write(moved)

    def _custcare_merge_care_fields(self, destination):
        """The destination awaits a reply since the oldest unanswered customer
        message of all (those messages are on it now) and is as hot as the
        hottest. A merged ticket's escalation activity came along with its
        activities: the destination is not escalated a second time."""
        tickets = self | destination
        vals = {}
        oldest = tickets.filtered("custcare_awaiting_reply_since").sorted(
            "custcare_awaiting_reply_since"
        )[:1]
        if oldest and (
            oldest.custcare_awaiting_reply_since
            != destination.custcare_awaiting_reply_since
        ):
            vals.update(
                custcare_awaiting_reply_since=oldest.custcare_awaiting_reply_since,
                custcare_reply_reminded=oldest.custcare_reply_reminded,
            )
        hottest = reduce(hotter, tickets.mapped("custcare_temperature"), False)
        if hottest != destination.custcare_temperature:
            vals["custcare_temperature"] = hottest
            if (
                hottest in HOT
                and not destination.custcare_escalated
                and self.filtered("custcare_escalated")
            ):
                vals["custcare_escalated"] = True
        if vals:
            # sudo: helpdesk.ticket - the merge's bookkeeping: the reply wait,
            # the escalation (read-only to people) and the temperature carried
            # over from the merged tickets, which the merge checked the user
            # may write
            destination.sudo().write(vals)
        # nothing awaits a reply on a merged ticket: its messages are gone
        # sudo: helpdesk.ticket - as above
        self.filtered("custcare_awaiting_reply_since").sudo().write(
            {"custcare_awaiting_reply_since": False, "custcare_reply_reminded": False}
        )
