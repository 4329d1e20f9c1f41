from odoo import api, models, tools
from odoo.tools import SQL

from ..utils.care_dates import local_day

# messages a person writes; notes, notifications and automated mails are not
PERSONAL_MESSAGE_TYPES = ("comment", "email")
# activity types whose completion on a customer is a contact (a proactive
# contact counts through the conversation that completes it)
CONTACT_ACTIVITY_CATEGORIES = ("phonecall", "meeting")


class CustcareContactRules(models.AbstractModel):
    """What counts as a contact with a customer, in one place: a closed
    conversation (which also completes a proactive contact); a call or a
    meeting marked done on the customer; a message a person of ours wrote to
    the customer (comment or email, not an internal note, the customer among
    its recipients) on any record. Each is dated on the calendar day of
    whoever made it, in their time zone. The partner only combines these
    sources."""

    _name = "custcare.contact.rules"
    _description = "Customer Care: what counts as a contact"

    # ------------------------------------------------------------------
    # One message, as it is posted
    # ------------------------------------------------------------------

    @api.model
    def _listening(self):
        """Whether the addon reacts to posted messages (contacts, replies
        awaited, temperature suggestions, competitor mentions). The context
        key ``custcare_skip_message_hooks`` turns it off, for bulk imports of
        old mail and for benchmarks."""
        return not self.env.context.get("custcare_skip_message_hooks")

    @api.model
    def _personal_author(self, author_id):
        """The author of a message authored by ``author_id`` when they are
        one of ours (an internal user, not OdooBot), else None: the current
        user, or the partner of a colleague writing through them (a
        template signed by the record's salesperson); either gives the
        author's time zone. No query in the usual cases: the current user is
        known, and whether another author is shared (``partner_share``: no
        active internal user) was read with the partner when Odoo found the
        author."""
        user = self.env.user
        if author_id == user.partner_id.id:
            return user if user._is_internal() and not user._is_superuser() else None
        if not author_id:
            return None
        author = self.env["res.partner"].sudo().browse(author_id)
        odoobot = self.env["ir.model.data"]._xmlid_to_res_id("base.partner_root")
        if author_id == odoobot or author.partner_share:
            return None
        return author

    @api.model
    @tools.ormcache()
    def _internal_subtype_ids(self):
        """Internal subtypes (notes, internal notifications). Asked on every
        posted message, so cached; Odoo clears the cache whenever a subtype
        is created, changed or deleted."""
        subtypes = self.env["mail.message.subtype"].sudo()
        return frozenset(subtypes.search([("internal", "=", True)]).ids)

    @api.model
    def _is_personal_message(self, msg_values):
        """Whether posted values are a message a person of ours wrote to
        someone (not a note, not automated). Returns the author user."""
        if msg_values.get("message_type") not in PERSONAL_MESSAGE_TYPES:
            return None
        subtype_id = msg_values.get("subtype_id")
        if not subtype_id or subtype_id in self._internal_subtype_ids():
            return None
        return self._personal_author(msg_values.get("author_id"))

    @api.model
    def _is_customer_message(self, msg_values):
        """Whether posted values are a message a customer wrote (an author who
        is not an internal user, or only an address): an email, or a comment
        from the portal; not a note, not automated. Several listeners ask
        about the same message: answered once per author and transaction."""
        if msg_values.get("message_type") not in PERSONAL_MESSAGE_TYPES:
            return False
        if msg_values.get("subtype_id") in self._internal_subtype_ids():
            return False
        author_id = msg_values.get("author_id")
        if not author_id:
            return bool(msg_values.get("email_from"))
        user = self.env.user
        if author_id == user.partner_id.id and user._is_internal():
            # a rep writing, the usual case: no query
            return False
        # a memo that lives no longer than the transaction (cr.cache outlives
        # commits and rollbacks: an author made an employee since would stay
        # a customer); flushes may empty it, which only costs a query
        known = self.env.cr.precommit.data.setdefault(
            "custcare_loop.customer_authors", {}
        )
        if author_id not in known:
            known[author_id] = bool(self._customers_among([author_id]))
        return known[author_id]

    @api.model
    def _is_customer_sql(self, partner_id):
        """SQL condition: the partner of id ``partner_id`` (SQL) is a
        customer, i.e. no internal user is theirs."""
        users = self.env["res.users"]
        return SQL(
            "NOT EXISTS (SELECT 1 FROM res_users u"
            " WHERE u.partner_id = %s AND u.share IS NOT TRUE)",
            partner_id,
            to_flush=(users._fields["partner_id"], users._fields["share"]),
        )

    @api.model
    def _customers_among(self, partner_ids):
        """The customers among ``partner_ids``; one query."""
        if not partner_ids:
            return self.env["res.partner"]
        rows = self.env.execute_query(
            SQL(
                "SELECT c.id FROM res_partner c WHERE c.id IN %s AND %s",
                tuple(partner_ids),
                self._is_customer_sql(SQL("c.id")),
            )
        )
        return self.env["res.partner"].browse(row[0] for row in rows)

    @api.model
    def _contact_of_message(self, msg_values):
        """(ids of the partners it was sent to, day) when posted values are a
        person's message, else None. Which of them are customers is decided
        where the contact is registered, in the same statement."""
        partner_ids = msg_values.get("partner_ids")
        if not partner_ids or not self._listening():
            return None
        author = self._is_personal_message(msg_values)
        if not author:
            return None
        return list(partner_ids), local_day(author)

    @api.model
    def _not_colleagues(self, partner_ids, recipients_data):
        """Those of ``partner_ids`` that Odoo's recipients data (what
        ``_notify_thread`` read about them) does not know as having an
        internal user: the ones who may be customers. No query."""
        colleagues = {
            data["id"] for data in recipients_data if data["id"] and not data["share"]
        }
        return [
            partner_id for partner_id in partner_ids if partner_id not in colleagues
        ]

    @api.model
    def _already_contacted(self, partner_ids, day):
        """Whether what is loaded already says that each of ``partner_ids``
        and its company was last contacted on ``day`` or later: the same
        customer written to again in one transaction (a loop, the composer on
        several of their records), when the statement would change nothing.
        Only the cache is read: whatever is not loaded is left to the
        statement."""
        for partner in self.env["res.partner"].browse(partner_ids):
            if "commercial_partner_id" not in partner._cache:
                return False
            company = partner.browse(partner._cache["commercial_partner_id"])
            for person in (partner, company):
                cache = person._cache if person else {}
                if "custcare_last_contact_date" not in cache:
                    return False
                last = cache["custcare_last_contact_date"]
                if not last or last < day:
                    return False
        return True

    @api.model
    def _is_contact_activity_type(self, activity_type):
        """Whether completing an activity of ``activity_type`` on a customer
        is a contact: a call or a meeting (Odoo's own types, or any type of
        their categories). No query."""
        if not activity_type:
            return False
        if activity_type.category in CONTACT_ACTIVITY_CATEGORIES:
            return True
        return activity_type.id in self._odoo_contact_activity_type_ids()

    @api.model
    def _odoo_contact_activity_type_ids(self):
        """Odoo's Call and Meeting activity types, wherever their category
        was changed to (xmlids are cached by Odoo)."""
        data = self.env["ir.model.data"]
        return {
            data._xmlid_to_res_id(xmlid)
            for xmlid in (
                "mail.mail_activity_data_call",
                "mail.mail_activity_data_meeting",
            )
        } - {False, None}

    # ------------------------------------------------------------------
    # Every source, for recomputing partners' last contact
    # ------------------------------------------------------------------

    @api.model
    def _last_contact_days(self, partners):
        """{partner id: day of the latest contact} for ``partners``, from
        every source; a contact with a person counts for their company too."""
        if not partners:
            return {}
        wanted = set(partners.ids)
        people = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(
                [
                    "|",
                    ("id", "in", partners.ids),
                    ("commercial_partner_id", "in", partners.ids),
                ],
                ["commercial_partner_id"],
            )
        )
        commercial = {person.id: person.commercial_partner_id.id for person in people}
        last = {}

        def count(person_id, day):
            for partner_id in {person_id, commercial.get(person_id)}:
                if partner_id in wanted and (
                    partner_id not in last or day > last[partner_id]
                ):
                    last[partner_id] = day

        for person_id, day in self._conversation_days(people):
            count(person_id, day)
        for person_id, day in self._activity_days(people):
            count(person_id, day)
        for person_id, day in self._message_days(people):
            count(person_id, day)
        return last

    @api.model
    def _conversation_days(self, people):
        conversations = (
            self.env["custcare.conversation"]
            .sudo()
            .search_fetch(
                [("state", "=", "closed"), ("partner_id", "in", people.ids)],
                ["date", "partner_id", "user_id", "create_uid"],
            )
        )
        for conversation in conversations:
            yield conversation.partner_id.id, conversation._custcare_local_date()

    @api.model
    def _contact_activity_types(self):
        """Calls and meetings: Odoo's own types and any type of their
        categories."""
        return (
            self.env["mail.activity.type"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    ("category", "in", CONTACT_ACTIVITY_CATEGORIES),
                    ("id", "in", list(self._odoo_contact_activity_type_ids())),
                ]
            )
        )

    @api.model
    def _activity_days(self, people):
        types = self._contact_activity_types()
        if not types:
            return
        done = (
            self.env["mail.activity"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [
                    ("active", "=", False),
                    ("activity_type_id", "in", types.ids),
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", people.ids),
                    ("date_done", "!=", False),
                ],
                ["res_id"],
                ["date_done:max"],
            )
        )
        yield from done

    @api.model
    def _message_days(self, people):
        """The latest person's message to each customer, on its author's
        day. One query: the latest qualifying message per recipient."""
        self.env["mail.message"].flush_model()
        self.env.cr.execute(
            """
            SELECT DISTINCT ON (rel.res_partner_id)
                   rel.res_partner_id, m.date, u.id
              FROM mail_message_res_partner_rel rel
              JOIN mail_message m ON m.id = rel.mail_message_id
              JOIN mail_message_subtype st ON st.id = m.subtype_id
              JOIN res_users u ON u.partner_id = m.author_id
             WHERE rel.res_partner_id IN %s
               AND m.message_type IN %s
               AND st.internal IS NOT TRUE
               AND u.share IS NOT TRUE
               AND u.id != %s
          ORDER BY rel.res_partner_id, m.date DESC
            """,
            [
                tuple(people.ids),
                PERSONAL_MESSAGE_TYPES,
                self.env.ref("base.user_root").id,
            ],
        )
        rows = self.env.cr.fetchall()
        users = self.env["res.users"].sudo().browse({row[2] for row in rows})
        users.fetch(["tz"])
        for partner_id, date, user_id in rows:
            yield partner_id, local_day(users.browse(user_id), date)
