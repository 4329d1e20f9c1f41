"""A customer's thank-you alone starts no wait for our reply (issue 19)."""

from markupsafe import Markup

from odoo.tests import tagged

from .common_week_one import WeekOneCommon


@tagged("post_install", "-at_install")
class TestThanksAlone(WeekOneCommon):
    THANKS = {
        "en": ["Thanks!", "Thank you so much, Ann"],
        "fr": ["Merci, parfait", "Merci beaucoup !"],
        "nl": ["Bedankt!", "Dank u wel, tot volgende week"],
        "de": ["Danke", "Vielen Dank und schönes Wochenende"],
        "es": ["Gracias", "Muchas gracias, perfecto"],
    }
    REQUESTS = {
        "en": ["Thanks, but the rye is still missing", "Thanks. Please send 10 more"],
        "fr": ["Merci, où est ma commande ?", "Merci, mais il manque le pain"],
        "nl": ["Bedankt, maar het brood ontbreekt", "Dank u, kunt u bellen?"],
        "de": ["Danke, aber das Brot fehlt", "Danke, bitte noch 5 Brote"],
        "es": ["Gracias, pero falta el pan", "¿Gracias? ¿Dónde está el pedido?"],
    }

    def test_a_thank_you_alone_starts_no_wait_in_each_language(self):
        for lang, bodies in self.THANKS.items():
            for body in bodies:
                with self.subTest(lang=lang, body=body):
                    ticket = self._create_ticket(user_id=self.owner.id)
                    self._customer_writes(ticket, Markup("<p>%s</p>") % body)
                    self.assertFalse(ticket.custcare_awaiting_reply_since)

    def test_a_thank_you_with_a_request_still_waits(self):
        for lang, bodies in self.REQUESTS.items():
            for body in bodies:
                with self.subTest(lang=lang, body=body):
                    ticket = self._create_ticket(user_id=self.owner.id)
                    self._customer_writes(ticket, Markup("<p>%s</p>") % body)
                    self.assertTrue(ticket.custcare_awaiting_reply_since)

    def test_a_signature_does_not_make_a_thank_you_a_request(self):
        ticket = self._create_ticket(user_id=self.owner.id)
        self._customer_writes(
            ticket,
            Markup(
                "<p>Thanks!</p><p>--<br>Ann Baker<br>Acme Bakery, 12 Linden Square</p>"
            ),
        )
        self.assertFalse(ticket.custcare_awaiting_reply_since)
