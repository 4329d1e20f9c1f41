"""Install, upgrade and uninstall custcare_loop in a database of its own."""

import re
import subprocess
import sys
import unittest
import uuid
from pathlib import Path

from odoo.tests import tagged

ROOT = Path(__file__).resolve().parent.parent
LOG_PROBLEM = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ", re.MULTILINE)

UNINSTALL = """
module = env["ir.module.module"].search([("name", "=", "custcare_loop")])
module.button_immediate_uninstall()
env.cr.commit()
"""

CHECK = """
env.cr.execute(
    "SELECT to_regclass('custcare_conversation'),"
    " to_regclass('custcare_improvement_point')"
)
print("TABLES", env.cr.fetchone())
modules = env["ir.module.module"]
print("STATE", modules.search([("name", "=", "custcare_loop")]).state)
print("HELPDESK", modules.search([("name", "=", "helpdesk_mgmt")]).state)
own = env["ir.model.data"].search(
    [("module", "=", "custcare_loop"), ("model", "=", "helpdesk.ticket")]
)
print("TICKETS", env["helpdesk.ticket"].search_count([]) - len(own))
"""


@tagged("post_install", "-at_install", "custcare_loop_external")
class TestLifecycle(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = f"custcare_lifecycle_{uuid.uuid4().hex[:8]}"

    @classmethod
    def tearDownClass(cls):
        subprocess.run(["dropdb", "--if-exists", cls.db], check=False)
        super().tearDownClass()

    def _odoo(self, *args, stdin=None):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "odoo",
                *args[:1],
                "-d",
                self.db,
                f"--addons-path={ROOT}",
                "--http-interface=127.0.0.1",
                "--log-level=info",
                *args[1:],
            ],
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
        )
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 0, output[-3000:])
        problems = [m.group(0) for m in LOG_PROBLEM.finditer(output)]
        lines = [line for line in output.splitlines() if LOG_PROBLEM.match(line)]
        self.assertFalse(problems, "\n".join(lines))
        return output

    def test_install_upgrade_uninstall(self):
        # helpdesk tickets exist before custcare_loop arrives, some closed
        self._odoo("server", "-i", "helpdesk_mgmt", "--with-demo", "--stop-after-init")
        self._odoo("server", "-i", "custcare_loop", "--stop-after-init")
        self._odoo("server", "-u", "custcare_loop", "--stop-after-init")
        output = self._odoo("shell", "--no-http", stdin=CHECK)
        self.assertIn("STATE installed", output)
        tickets_before = re.search(r"TICKETS (\d+)", output).group(1)
        self._odoo("shell", "--no-http", stdin=UNINSTALL)
        output = self._odoo("shell", "--no-http", stdin=CHECK)
        self.assertIn("TABLES (None, None)", output)
        self.assertIn("STATE uninstalled", output)
        self.assertIn("HELPDESK installed", output)
        # the addon's demo tickets go with it; no other ticket is lost
        self.assertIn(f"TICKETS {tickets_before}", output)
