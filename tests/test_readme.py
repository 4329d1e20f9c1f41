"""The README's menu paths and commands are true (issue 18): every
*A › B › C* path names a menu found by name under its parent, and the
commands it gives for the demo's mails do what it says."""

import email.message
import os
import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from odoo.tests import TransactionCase, tagged

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted(ROOT.glob("custcare_loop*/readme/*.md"))]
# a path in italics whose parts are separated by ›
PATH = re.compile(r"\*([^*\n]+?›[^*]+?)\*")
# menus that only exist with a bridge: the menu's name, the module
BRIDGE_MENUS = {
    "Lost Deals": "custcare_loop_crm",
    "Deliveries on Time": "custcare_loop_sale_stock",
}


def menu_paths():
    """(document, path as a tuple of names) of every menu path in the docs."""
    for doc in DOCS:
        text = " ".join(doc.read_text().split())
        for match in PATH.finditer(text):
            yield (
                doc.relative_to(ROOT),
                tuple(part.strip() for part in match.group(1).split("›")),
            )


@tagged("post_install", "-at_install", "custcare_loop_external")
class TestReadmeMenus(TransactionCase):
    def _installed(self, module):
        return bool(
            self.env["ir.module.module"].search_count(
                [("name", "=", module), ("state", "=", "installed")]
            )
        )

    def _find(self, path):
        Menu = self.env["ir.ui.menu"].with_context(lang="en_US")
        menu = Menu.browse()
        for name in path:
            children = Menu.search([("parent_id", "=", menu.id or False)])
            menu = children.filtered(lambda m, name=name: m.name == name)[:1]
            if not menu:
                return None
        return menu

    def test_every_menu_path_exists(self):
        paths = list(menu_paths())
        self.assertGreater(len(paths), 20, "the README's paths are found")
        for doc, path in paths:
            module = BRIDGE_MENUS.get(path[-1])
            if module and not self._installed(module):
                continue
            if path[0] == "CRM" and not self._installed("crm"):
                continue
            with self.subTest(doc=str(doc), path=" › ".join(path)):
                self.assertTrue(
                    self._find(path),
                    f"{doc}: no menu {' › '.join(path)}",
                )

    def test_the_paths_the_issue_named(self):
        found = {" › ".join(path) for _doc, path in menu_paths()}
        self.assertNotIn("Reporting › Competitor Mentions", found)
        self.assertNotIn("Reporting › Care", found)
        self.assertEqual(
            self._find(("Customer Care", "Customer Voice", "Competitor Mentions")),
            self.env.ref("custcare_loop.custcare_competitor_mention_rep_menu"),
        )
        self.assertEqual(
            self._find(("Customer Care", "Reporting", "Temperature over Time")),
            self.env.ref("custcare_loop.custcare_temperature_log_menu"),
        )


@tagged("post_install", "-at_install", "custcare_loop_external")
class TestDemoLinks(TransactionCase):
    def test_mails_of_the_install_link_to_the_readmes_server(self):
        """The demo sets web.base.url to the README's address before it sends
        anything: the install's mails link there, as later ones do."""
        if not self.env.ref("custcare_loop.competitor_golden_crust", False):
            self.skipTest("no demo data")
        readme = " ".join((ROOT / "README.md").read_text().split())
        self.assertIn("an Odoo server on http://127.0.0.1:8069", readme)
        self.assertIn("--http-interface=127.0.0.1", readme)
        bodies = (
            self.env["mail.message"]
            .sudo()
            .search([("body", "like", "/custcare/feedback/")])
            .mapped("body")
        )
        self.assertTrue(bodies, "the demo resolves tickets: notices are sent")
        links = re.findall(r'href="([^"]*/custcare/feedback/[^"]*)"', "".join(bodies))
        self.assertTrue(links)
        for link in links:
            self.assertTrue(link.startswith("http://127.0.0.1:8069/"), link)


def _mail(subject, body):
    message = email.message.EmailMessage()
    message["Subject"] = subject
    message["To"] = "anna@example.com"
    message["Date"] = "Mon, 07 Dec 2026 10:00:00 +0000"
    message.set_content(body)
    message.add_alternative(f"<p>{body}</p>", subtype="html")
    return message.as_bytes()


@tagged("post_install", "-at_install", "custcare_loop_external")
class TestDemoMailCommands(unittest.TestCase):
    """tools/demo-mail, the README's commands for the sink's Maildir."""

    def setUp(self):
        self.dir = Path(tempfile.mkdtemp()) / ".demo-mail"
        for sub in ("new", "cur", "tmp"):
            (self.dir / sub).mkdir(parents=True)
        # Maildir keys of one second sort by an unpadded microsecond count:
        # the notice that arrived last has the smaller key
        arrivals = [
            ("1765100000.M999999P1Q1.host", "Resolved: ticket 1", "older notice"),
            ("1765100000.M12P1Q2.host", "Resolved: ticket 2", "newest notice"),
            ("1765100000.M5P1Q3.host", "Your question", "not a notice"),
        ]
        for at, (key, subject, body) in enumerate(arrivals):
            path = self.dir / "new" / key
            path.write_bytes(_mail(subject, body))
            os.utime(
                path,
                ns=(1_765_100_000_000_000_000 + at, 1_765_100_000_000_000_000 + at),
            )

    def _run(self, *args):
        return subprocess.run(
            [
                sys.executable,
                str(ROOT / "tools" / "demo-mail"),
                *args,
                "--dir",
                str(self.dir),
            ],
            capture_output=True,
            text=True,
            check=False,
        )

    def test_html_saves_the_newest_matching_mail(self):
        result = self._run("html", "Resolved:")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("newest notice", result.stdout)
        self.assertNotIn("older notice", result.stdout)

    def test_html_says_when_nothing_matches(self):
        result = self._run("html", "Promise moved")
        self.assertEqual(result.returncode, 1)
        self.assertIn("no mail whose subject contains", result.stderr)

    def test_list_shows_every_mail_in_arrival_order(self):
        result = self._run("list")
        self.assertEqual(result.returncode, 0, result.stderr)
        subjects = [line.split(" | ")[-1] for line in result.stdout.splitlines()]
        self.assertEqual(
            subjects, ["Resolved: ticket 1", "Resolved: ticket 2", "Your question"]
        )

    def test_the_readme_uses_these_commands(self):
        readme = (ROOT / "README.md").read_text()
        self.assertIn('tools/demo-mail html "Resolved:" > notice.html', readme)
        self.assertIn('kill "$(cat .demo-mail.pid)"', readme)
        self.assertNotIn("kill %1", readme)
        sink = (ROOT / "tools" / "mail-sink").read_text()
        self.assertIn('echo $$ >"$dir.pid"', sink)
