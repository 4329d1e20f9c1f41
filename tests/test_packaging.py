"""The addon as pip and OCA tooling see it, from outside Odoo."""

import ast
import email
import re
import subprocess
import sys
import tempfile
import unittest
import zipfile
from pathlib import Path

from odoo.tests import tagged

ROOT = Path(__file__).resolve().parent.parent
ADDON = ROOT / "custcare_loop"


def _manifest():
    return ast.literal_eval((ADDON / "__manifest__.py").read_text())


@tagged("post_install", "-at_install", "custcare_loop_external")
class TestManifest(unittest.TestCase):
    def test_manifest_keys(self):
        manifest = _manifest()
        self.assertRegex(manifest["version"], r"^19\.0\.\d+\.\d+\.\d+$")
        self.assertIn(manifest["license"], ("AGPL-3", "LGPL-3"))
        self.assertNotIn("description", manifest)
        for key in ("name", "summary", "category", "author", "website", "depends"):
            self.assertTrue(manifest.get(key), key)
        self.assertTrue(manifest.get("installable", True))
        self.assertEqual(
            set(manifest["depends"]),
            {"mail", "contacts", "rating", "base_automation", "helpdesk_mgmt"},
        )

    def test_every_listed_file_exists(self):
        manifest = _manifest()
        for path in manifest["data"] + manifest.get("demo", []):
            self.assertTrue((ADDON / path).is_file(), path)
        self.assertTrue((ADDON / "static/description/icon.png").is_file())
        self.assertTrue((ADDON / "i18n/custcare_loop.pot").is_file())

    def test_the_apps_page_shows_the_screenshots_offline(self):
        """index.html (what Odoo's Apps page shows) is README.rst with its
        images served by the addon itself, and every one of them exists."""
        check = subprocess.run(
            [sys.executable, str(ROOT / "tools/description-html"), "--check"],
            capture_output=True,
            text=True,
            check=False,
        )
        self.assertEqual(check.returncode, 0, check.stderr)
        html = (ADDON / "static/description/index.html").read_text()
        images = re.findall(r'src="([^"/]+\.png)"', html)
        self.assertGreaterEqual(len(images), 6)
        for image in images:
            self.assertTrue((ADDON / "static/description" / image).is_file(), image)
        for image in _manifest()["images"]:
            self.assertTrue((ADDON / image).is_file(), image)

    def test_security_before_data(self):
        data = _manifest()["data"]
        self.assertEqual(data[0], "security/custcare_security.xml")
        self.assertEqual(data[1], "security/ir.model.access.csv")


@tagged("post_install", "-at_install", "custcare_loop_external")
class TestWheel(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--quiet",
                "--no-deps",
                "--no-build-isolation",
                "--wheel-dir",
                cls.tmp.name,
                str(ADDON),
            ],
            check=True,
            capture_output=True,
        )
        (cls.wheel,) = Path(cls.tmp.name).glob("*.whl")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()
        super().tearDownClass()

    def test_wheel_name_and_dependencies(self):
        self.assertTrue(self.wheel.name.startswith("odoo_addon_custcare_loop-19.0."))
        with zipfile.ZipFile(self.wheel) as archive:
            (metadata_name,) = [
                n for n in archive.namelist() if n.endswith(".dist-info/METADATA")
            ]
            metadata = email.message_from_bytes(archive.read(metadata_name))
        self.assertEqual(metadata["Name"], "odoo-addon-custcare_loop")
        requires = metadata.get_all("Requires-Dist")
        self.assertIn("odoo-addon-helpdesk_mgmt==19.0.*", requires)
        self.assertIn("odoo==19.0.*", requires)
        # the lexicon behind temperature suggestions, from the manifest
        self.assertIn("vaderSentiment", " ".join(requires))

    def test_wheel_carries_the_addon(self):
        with zipfile.ZipFile(self.wheel) as archive:
            names = set(archive.namelist())
        prefix = "odoo/addons/custcare_loop/"
        for path in _manifest()["data"] + [
            "__manifest__.py",
            "static/description/icon.png",
        ]:
            self.assertIn(prefix + path, names)
        self.assertFalse([n for n in names if "/tests/" in n and n.endswith(".pyc")])
