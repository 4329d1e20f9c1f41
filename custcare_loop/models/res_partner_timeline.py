from datetime import datetime, time
from textwrap import shorten

from odoo import api, fields, models
from odoo.tools import html2plaintext
from odoo.tools.misc import format_date, format_datetime

# items per source and in all: what a rep reads before calling
PER_SOURCE = 25
TIMELINE_SIZE = 60


class ResPartner(models.Model):
    """One chronological view of every interaction with a customer (and its
    people), read before calling: conversations, tickets, our messages to
    them and theirs to us on any record, calls and meetings done, answers to
    our notices, competitor mentions, temperatures judged. Built as the
    reading user, so it only
    shows what that user may see."""

    _inherit = "res.partner"

    custcare_timeline = fields.Html(
        string="Interaction Timeline",
        compute="_compute_custcare_timeline",
        sanitize=False,
        groups="custcare_loop.group_custcare_user",
    )

    @api.depends_context("uid", "lang", "tz")
    def _compute_custcare_timeline(self):
        for partner in self:
            if not partner.id:
                partner.custcare_timeline = False
                continue
            items = partner._custcare_timeline_items()
            partner.custcare_timeline = self.env["ir.qweb"]._render(
                "custcare_loop.partner_timeline",
                {"items": items, "partner": partner},
            )

    def _custcare_timeline_items(self):
        self.ensure_one()
        commercial = self.commercial_partner_id
        people = self.with_context(active_test=False).search(
            [("id", "child_of", commercial.id)]
        )
        items = []
        for source in self._custcare_timeline_sources():
            items += source(commercial, people)
        items.sort(key=lambda item: item["when"], reverse=True)
        return items[:TIMELINE_SIZE]

    def _custcare_timeline_sources(self):
        """The methods that give the timeline its items, each called with
        the customer company and its people (bridges add theirs)."""
        return [
            self._custcare_timeline_conversations,
            self._custcare_timeline_tickets,
            self._custcare_timeline_messages,
            self._custcare_timeline_activities,
            self._custcare_timeline_answers,
            self._custcare_timeline_mentions,
            self._custcare_timeline_temperatures,
        ]

    def _custcare_timeline_item(self, when, icon, kind, title, detail="", record=None):
        if isinstance(when, datetime):
            shown = format_datetime(self.env, when, dt_format="MMM d, y HH:mm")
        else:
            shown = format_date(self.env, when, date_format="MMM d, y")
            when = datetime.combine(when, time(12, 0))
        return {
            "when": when,
            "shown": shown,
            "icon": icon,
            "kind": kind,
            "title": title,
            "detail": shorten(detail or "", 160, placeholder="…"),
            "url": record and f"/odoo/{record._name}/{record.id}",
        }

    def _custcare_readable(self, model):
        return self.env[model].has_access("read")

    def _custcare_timeline_conversations(self, commercial, people):
        if not self._custcare_readable("custcare.conversation"):
            return []
        return [
            self._custcare_timeline_item(
                conversation.date,
                "fa-comments",
                self.env._("Conversation"),
                conversation.display_name,
                html2plaintext(conversation.summary or ""),
                conversation,
            )
            for conversation in self.env["custcare.conversation"].search(
                [("partner_id", "in", people.ids)], limit=PER_SOURCE
            )
        ]

    def _custcare_timeline_tickets(self, commercial, people):
        if not self._custcare_readable("helpdesk.ticket"):
            return []
        return [
            self._custcare_timeline_item(
                ticket.create_date,
                "fa-life-ring",
                self.env._("Ticket"),
                f"{ticket.number} {ticket.name}",
                ticket.stage_id.name,
                ticket,
            )
            for ticket in self.env["helpdesk.ticket"].search(
                [("partner_id", "in", people.ids)],
                order="create_date desc",
                limit=PER_SOURCE,
            )
        ]

    def _custcare_timeline_messages(self, commercial, people):
        messages = self.env["mail.message"].search(
            [
                ("model", "!=", False),
                ("message_type", "in", ("email", "comment")),
                ("subtype_id.internal", "=", False),
                "|",
                ("author_id", "in", people.ids),
                ("partner_ids", "in", people.ids),
            ],
            order="date desc",
            limit=PER_SOURCE,
        )
        items = []
        for message in messages:
            theirs = message.author_id in people
            items.append(
                self._custcare_timeline_item(
                    message.date,
                    "fa-envelope-o" if theirs else "fa-reply",
                    self.env._("From the customer")
                    if theirs
                    else self.env._("To the customer"),
                    message.subject or message.record_name or "",
                    html2plaintext(message.body or ""),
                    None,
                )
            )
            items[-1]["url"] = f"/odoo/{message.model}/{message.res_id}"
        return items

    def _custcare_timeline_activities(self, commercial, people):
        types = self.env["custcare.contact.rules"]._contact_activity_types()
        activities = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("active", "=", False),
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", people.ids),
                    ("activity_type_id", "in", types.ids),
                ],
                order="date_done desc",
                limit=PER_SOURCE,
            )
        )
        return [
            self._custcare_timeline_item(
                activity.date_done,
                activity.activity_type_id.icon or "fa-phone",
                activity.activity_type_id.name,
                activity.summary or activity.activity_type_id.name,
                html2plaintext(activity.feedback or ""),
                None,
            )
            for activity in activities
            if activity.date_done
        ]

    def _custcare_timeline_answers(self, commercial, people):
        ratings = self.env["rating.rating"].search(
            [
                ("partner_id", "in", people.ids),
                ("custcare_notice", "!=", False),
                ("consumed", "=", True),
            ],
            order="rated_on desc",
            limit=PER_SOURCE,
        )
        answers = dict(
            self.env["rating.rating"]
            ._fields["custcare_answer"]
            ._description_selection(self.env)
        )
        return [
            self._custcare_timeline_item(
                rating.rated_on or rating.write_date,
                "fa-star-half-o",
                self.env._("Answer"),
                f"{answers.get(rating.custcare_answer, '')}: {rating.res_name}",
                rating.feedback or "",
                None,
            )
            for rating in ratings
        ]

    def _custcare_timeline_mentions(self, commercial, people):
        if not self._custcare_readable("custcare.competitor.mention"):
            return []
        return [
            self._custcare_timeline_item(
                mention.date,
                "fa-bullhorn",
                self.env._("Competitor mention"),
                mention.competitor_id.name,
                mention.snippet or "",
                mention,
            )
            for mention in self.env["custcare.competitor.mention"].search(
                [("commercial_partner_id", "=", commercial.id)], limit=PER_SOURCE
            )
        ]

    def _custcare_timeline_temperatures(self, commercial, people):
        if not self._custcare_readable("custcare.temperature.log"):
            return []
        labels = dict(
            self.env["custcare.temperature.log"]
            ._fields["temperature"]
            ._description_selection(self.env)
        )
        return [
            self._custcare_timeline_item(
                log.date,
                "fa-thermometer-half",
                self.env._("Temperature"),
                labels.get(log.temperature, ""),
                log.source_name or "",
                None,
            )
            for log in self.env["custcare.temperature.log"].search(
                [("partner_id", "in", people.ids)], limit=PER_SOURCE
            )
        ]
