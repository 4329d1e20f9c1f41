import glob
import os
import re

import polib

from odoo.modules.module import get_module_path, get_modules
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import CustcareCommon

ADDON = "custcare_loop"
# the languages this addon and each of its bridges (custcare_loop_*) ship:
# each has i18n/<code>.po beside i18n/<addon>.pot
SHIPPED = {"fr": "fr_FR", "nl": "nl_NL", "de": "de_DE", "es": "es_ES"}

# what customers read on pages of ours: each of these QWeb views is checked
# term by term (a new public or portal page must be listed here, see
# test_every_customer_page_is_checked)
CUSTOMER_VIEWS = (
    "custcare_loop.feedback_page",
    "custcare_loop.faq_page",
    "custcare_loop.portal_helpdesk_ticket_page",
    "custcare_loop.portal_helpdesk_ticket_page_faq",
)
# texts written in Python that reach a customer: everything a controller of
# ours (the addon's or a bridge's) translates, and these (sent in customer
# mails by code)
CUSTOMER_CODE_DIR = "controllers/"
CUSTOMER_CODE_MSGIDS = ()
# (language, msgid) whose translation is, by design, the English text
# (OCA's po-pretty-format then leaves msgstr empty: Odoo falls back to it).
# A bridge may also leave empty what the addon's own .po of that language
# leaves empty ("ID"); anything else it ships must be translated.
SAME_AS_ENGLISH = {
    # Odoo's own crm: crm.lead is "Lead" in Dutch, German and Spanish
    ("nl", "Lead"),
    ("de", "Lead"),
    ("es", "Lead"),
    # Odoo's own stock: stock.picking is "Transfer" in German
    ("de", "Transfer"),
    # the unit of a health weight in Settings: "points" in French as well
    ("fr", "<span>points</span>"),
}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")

# a sentence each customer reads, in their language, and its English source
NOTICE = {
    "fr": "Nous avons résolu votre demande",
    "nl": "We hebben uw verzoek",
    "de": "Wir haben Ihre Anfrage",
    "es": "Hemos resuelto su solicitud",
}
NOTICE_EN = ("We have resolved your request", "How well does the solution work")
NOTICE_SUBJECT = {
    "fr": "Résolu :",
    "nl": "Opgelost:",
    "de": "Gelöst:",
    "es": "Resuelto:",
}
ANSWER_PAGE = {
    "fr": ("La solution fonctionne-t-elle bien ?", "Envoyer ma réponse"),
    "nl": ("Hoe goed werkt de oplossing?", "Mijn antwoord verzenden"),
    "de": ("Wie gut funktioniert die Lösung?", "Meine Antwort senden"),
    "es": ("¿Qué tal funciona la solución?", "Enviar mi respuesta"),
}
ANSWER_PAGE_EN = ("How well does the solution work?", "Send my answer")
FAQ_PAGE = {
    "fr": ("Questions fréquentes", "Une autre question ? Écrivez à"),
    "nl": ("Veelgestelde vragen", "Nog een vraag? Schrijf naar"),
    "de": ("Häufig gestellte Fragen", "Eine weitere Frage? Schreiben Sie an"),
    "es": ("Preguntas frecuentes", "¿Tiene otra pregunta? Escriba a"),
}
FAQ_PAGE_EN = ("Frequently Asked Questions", "Another question? Write to")


def _addons():
    """The addon and its bridges (custcare_loop_*) on the addons path,
    installed here or not: each ships its own translations."""
    return [ADDON] + sorted(
        name for name in get_modules() if name.startswith(f"{ADDON}_")
    )


def _i18n_folder(addon):
    return os.path.join(get_module_path(addon), "i18n")


def _pot_file(addon):
    """The addon's translation template, None if it has none yet."""
    path = os.path.join(_i18n_folder(addon), f"{addon}.pot")
    return polib.pofile(path) if os.path.isfile(path) else None


def _po_files(addon=ADDON):
    """{language: polib.POFile} of every .po the addon ships."""
    return {
        os.path.basename(path)[:-3]: polib.pofile(path)
        for path in sorted(glob.glob(os.path.join(_i18n_folder(addon), "*.po")))
    }


def _installed_addons(env):
    return (
        env["ir.module.module"]
        .search([("name", "in", _addons()), ("state", "=", "installed")])
        .mapped("name")
    )


def _load_languages(env):
    """Activate the shipped languages and load our translations (the addon's
    and its installed bridges'), as installing a language does."""
    for code in SHIPPED.values():
        env["res.lang"]._activate_lang(code)
    env["ir.module.module"]._load_module_terms(
        _installed_addons(env), list(SHIPPED.values()), overwrite=True
    )


@tagged("post_install", "-at_install")
class TestTranslationFiles(TransactionCase):
    """Every text a customer reads is translated in every shipped language,
    in the addon and in each of its bridges; a bridge's files are complete."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.addons = _addons()
        cls.installed = _installed_addons(cls.env)
        cls.po_files = {addon: _po_files(addon) for addon in cls.addons}
        cls.pots = {addon: _pot_file(addon) for addon in cls.addons}
        # an addon without a template fails test_every_shipped_language_has_its_file
        cls.templated = [addon for addon in cls.addons if cls.pots[addon]]

    def test_the_bridges_are_checked(self):
        self.assertIn(f"{ADDON}_crm", self.addons)
        self.assertIn(f"{ADDON}_helpdesk_mgmt_rating", self.addons)
        self.assertIn(f"{ADDON}_helpdesk_mgmt_merge", self.addons)
        self.assertIn(f"{ADDON}_sale_stock", self.addons)
        self.assertIn(f"{ADDON}_account", self.addons)

    def _xmlid_records(self, model, addon=ADDON):
        data = self.env["ir.model.data"].search(
            [("module", "=", addon), ("model", "=", model)]
        )
        return self.env[model].browse(data.mapped("res_id")).exists()

    def _customer_terms(self, addon=ADDON):
        """{source term: where} for what customers read in this addon's
        texts, from the database as the current code installed it (not from
        the .pot, which may lag); a bridge not installed here, from its .pot."""
        env = self.env(context={"lang": "en_US"})
        terms = {}
        for xmlid in CUSTOMER_VIEWS:
            if xmlid.split(".")[0] != addon or addon not in self.installed:
                continue
            view = env.ref(xmlid)
            for term in view._fields["arch_db"].get_trans_terms(view.arch_db):
                if any(char.isalpha() for char in term):  # as Odoo exports
                    terms[term] = xmlid
        # notices: subject and body of every mail template of ours
        for template in self._xmlid_records("mail.template", addon).with_env(env):
            for name in ("subject", "body_html"):
                field = template._fields[name]
                for term in field.get_trans_terms(template[name]):
                    terms[term] = f"{template.name}: {name}"
        # the public FAQ entries we ship
        for faq in self._xmlid_records("custcare.faq", addon).with_env(env):
            for name in ("name", "answer"):
                for term in faq._fields[name].get_trans_terms(faq[name]):
                    terms[term] = f"FAQ {faq.name}: {name}"
        for entry in self.pots[addon]:
            customer_code = entry.msgid in CUSTOMER_CODE_MSGIDS or any(
                occurrence.startswith(f"code:addons/{addon}/{CUSTOMER_CODE_DIR}")
                for occurrence, _line in entry.occurrences
            )
            if customer_code:
                terms[entry.msgid] = "Python code"
        return terms

    def test_every_shipped_language_has_its_file(self):
        for addon in self.addons:
            self.assertTrue(
                self.pots[addon],
                f"{addon} has no i18n/{addon}.pot: export it "
                f"(python3 -m odoo i18n export -d <db> {addon}), then add and "
                "translate a .po for every shipped language (README, Develop)",
            )
            self.assertLessEqual(set(SHIPPED), set(self.po_files[addon]), addon)
            for lang, po in self.po_files[addon].items():
                with self.subTest(addon=addon, lang=lang):
                    self.assertEqual(po.metadata.get("Language"), lang)
                    self.assertIn("charset=UTF-8", po.metadata.get("Content-Type", ""))
                    self.assertIn("nplurals=", po.metadata.get("Plural-Forms", ""))
                    self.assertIn(f"* {addon}\n", po.header)

    def test_every_file_follows_its_template(self):
        """Each .po holds exactly the entries of its addon's .pot (merged, no
        fuzzy or stale ones), and keeps every placeholder of the source."""
        for addon in self.templated:
            expected = {entry.msgid for entry in self.pots[addon]}
            for lang, po in self.po_files[addon].items():
                with self.subTest(addon=addon, lang=lang):
                    self.assertEqual(
                        {entry.msgid for entry in po if not entry.obsolete},
                        expected,
                        f"{addon}/i18n/{lang}.po is not merged with its .pot",
                    )
                    self.assertFalse(po.fuzzy_entries())
                    self.assertFalse(po.obsolete_entries())
                    for entry in po.translated_entries():
                        self.assertEqual(
                            sorted(PLACEHOLDER.findall(entry.msgstr)),
                            sorted(PLACEHOLDER.findall(entry.msgid)),
                            f"{addon}/i18n/{lang}.po: {entry.msgid[:60]!r}",
                        )

    def test_bridges_are_translated_in_full(self):
        """A bridge translates every text it ships, back end included; it
        leaves the English only where the addon itself does, or by design."""
        for addon in self.templated:
            if addon == ADDON:
                continue
            for lang, po in self.po_files[addon].items():
                with self.subTest(addon=addon, lang=lang):
                    english = {
                        entry.msgid
                        for entry in self.po_files[ADDON].get(lang, ())
                        if not entry.msgstr
                    }
                    missing = [
                        entry.msgid[:80]
                        for entry in po
                        if not entry.msgstr
                        and entry.msgid not in english
                        and (lang, entry.msgid) not in SAME_AS_ENGLISH
                    ]
                    self.assertFalse(
                        missing,
                        f"{addon}/i18n/{lang}.po lacks {len(missing)} "
                        "translation(s):\n" + "\n".join(missing),
                    )

    def test_every_customer_page_is_checked(self):
        """A page of ours for customers (public layout, or a portal page it
        extends) is in CUSTOMER_VIEWS, so its texts are checked."""
        data = self.env["ir.model.data"].search(
            [("module", "in", self.addons), ("model", "=", "ir.ui.view")]
        )
        checked = set(CUSTOMER_VIEWS)
        for record in data:
            view = self.env["ir.ui.view"].browse(record.res_id)
            if view.type != "qweb":
                continue
            public = "web.frontend_layout" in view.arch_db or "portal." in (
                view.inherit_id.key or ""
            )
            public = public or (view.inherit_id.key or "").startswith(
                "helpdesk_mgmt.portal_"
            )
            if public:
                self.assertIn(record.complete_name, checked)

    def test_customer_texts_are_translated_in_every_language(self):
        found = self._customer_terms()
        # what a customer reads is really found: pages, notices and FAQ
        self.assertIn("Send my answer", found)
        self.assertIn("Frequently Asked Questions", found)
        self.assertTrue(any(term.startswith("Resolved:") for term in found))
        for addon in self.templated:
            terms = self._customer_terms(addon)
            for lang, po in self.po_files[addon].items():
                translated = {entry.msgid: entry.msgstr for entry in po}
                missing = [
                    f"{where}: {term[:80]!r}"
                    for term, where in sorted(terms.items())
                    if not translated.get(term) and (lang, term) not in SAME_AS_ENGLISH
                ]
                self.assertFalse(
                    missing,
                    f"{addon}/i18n/{lang}.po lacks a translation of "
                    f"{len(missing)} text(s) customers read (export the .pot, "
                    "merge it into the .po and translate):\n" + "\n".join(missing),
                )


@tagged("post_install", "-at_install")
class TestTranslatedNotice(CustcareCommon):
    """A French, Dutch, German and Spanish customer each receive the
    resolution notice in their language."""

    @classmethod
    def default_env_context(cls):
        # the notice rides on mail tracking and message posting
        return {"no_reset_password": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _load_languages(cls.env)
        cls.env.company.email = "care@example.com"

    def _resolve_for(self, lang):
        customer = self.env["res.partner"].create(
            {
                "name": f"Customer {lang}",
                "email": f"customer.{lang}@example.com",
                "lang": SHIPPED[lang],
            }
        )
        ticket = self._create_ticket(partner_id=customer.id, user_id=self.agent.id)
        self.env["custcare.improvement.point"].create(
            {
                "name": "Warn us",
                "partner_id": customer.id,
                "ticket_id": ticket.id,
                "company_id": ticket.company_id.id,
            }
        )
        ticket.stage_id = self.stage_done
        self.env.flush_all()
        self.env.cr.precommit.run()
        return customer, ticket

    def test_resolution_notice_in_the_customers_language(self):
        for lang in SHIPPED:
            with self.subTest(lang=lang):
                customer, ticket = self._resolve_for(lang)
                notice = ticket.message_ids.filtered(
                    lambda m, c=customer: c in m.partner_ids
                )
                self.assertEqual(len(notice), 1)
                self.assertTrue(
                    notice.subject.startswith(NOTICE_SUBJECT[lang]), notice.subject
                )
                self.assertIn(NOTICE[lang], notice.body)
                for english in NOTICE_EN:
                    self.assertNotIn(english, notice.body)
                # the links still answer for this customer
                token = ticket.custcare_rating_ids.filtered(
                    lambda r, c=customer: r.partner_id == c
                ).access_token
                self.assertIn(f"/custcare/feedback/{token}/good", notice.body)
                # and the mail that goes out says the same
                mail = self.env["mail.mail"].search(
                    [("mail_message_id", "=", notice.id)]
                )
                self.assertTrue(mail)
                self.assertIn(NOTICE[lang], mail.body_html)
                self.assertNotIn(NOTICE_EN[0], mail.body_html)


@tagged("post_install", "-at_install")
class TestTranslatedPages(HttpCase):
    """The answer page and the public FAQ, as a customer of each language
    sees them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _load_languages(cls.env)
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")

    def _token_for(self, lang):
        customer = self.env["res.partner"].create(
            {
                "name": f"Page customer {lang}",
                "email": f"page.{lang}@example.com",
                "lang": SHIPPED[lang],
            }
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Crushed croissants",
                "description": "<p>x</p>",
                "partner_id": customer.id,
            }
        )
        self.env["custcare.improvement.point"].create(
            {"name": "Boxes", "partner_id": customer.id, "ticket_id": ticket.id}
        )
        ticket.stage_id = self.stage_done
        return ticket.custcare_rating_ids.access_token

    def test_answer_page_in_the_customers_language(self):
        for lang in SHIPPED:
            with self.subTest(lang=lang):
                page = self.url_open(f"/custcare/feedback/{self._token_for(lang)}/good")
                self.assertEqual(page.status_code, 200)
                for sentence in ANSWER_PAGE[lang]:
                    self.assertIn(sentence, page.text)
                for english in ANSWER_PAGE_EN:
                    self.assertNotIn(english, page.text)
                self.assertIn("Crushed croissants", page.text)

    def test_public_faq_in_the_visitors_language(self):
        for lang, code in SHIPPED.items():
            with self.subTest(lang=lang):
                self.opener.cookies.set("frontend_lang", code)
                page = self.url_open("/custcare/faq")
                self.assertEqual(page.status_code, 200)
                for sentence in FAQ_PAGE[lang]:
                    self.assertIn(sentence, page.text)
                for english in FAQ_PAGE_EN:
                    self.assertNotIn(english, page.text)
