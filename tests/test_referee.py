"""tools/referee's verdict: which of Odoo's and OCA's tests custcare_loop
breaks, from the junit files of a run without it and a run with it."""

import importlib.util
import io
import tempfile
import unittest
from pathlib import Path

from odoo.tests import tagged

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "referee_helper", ROOT / "tools" / "referee_helper.py"
)
referee = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(referee)

CLASS = "opt.odoo19.addons.test_mail.tests.test_performance.TestPerf"
OCA = (
    "root..pyenv.lib.python3.11.site-packages.odoo.addons.helpdesk_mgmt"
    ".tests.test_helpdesk_ticket.TestTicket"
)
FAILURE = (
    '<failure message="Query count more than expected for user admin: '
    '36 > 35 in f at t.py:4">x</failure>'
)


def _case(name, body="", classname=CLASS):
    return f'<testcase classname="{classname}" name="{name}">{body}</testcase>'


@tagged("post_install", "-at_install", "custcare_loop_external")
class TestRefereeVerdict(unittest.TestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp())
        self.expected = self.folder / "expected.txt"
        self.expected.write_text("")

    def _junit(self, name, *cases):
        path = self.folder / name
        path.write_text(
            "<testsuites><testsuite>" + "".join(cases) + "</testsuite></testsuites>"
        )
        return str(path)

    def _verdict(self, without, with_care):
        out = io.StringIO()
        code = referee.compare(without, with_care, str(self.expected), out=out)
        return code, out.getvalue()

    def test_a_test_broken_by_custcare_loop_fails_the_run(self):
        without = self._junit("a.xml", _case("test_post"), _case("test_ok"))
        with_care = self._junit("b.xml", _case("test_post", FAILURE), _case("test_ok"))
        code, out = self._verdict(without, with_care)
        self.assertEqual(code, 1)
        self.assertIn(
            "test_mail/tests/test_performance.py::TestPerf::test_post  "
            "(failed: admin: 36 > 35 queries at t.py:4)",
            out,
        )
        self.assertNotIn("::test_ok", out)

    def test_a_listed_test_is_expected_with_its_reason(self):
        self.expected.write_text(
            "# comment\n"
            "test_mail/tests/test_performance.py::TestPerf::test_post  # (b) +1\n"
        )
        without = self._junit("a.xml", _case("test_post"))
        with_care = self._junit("b.xml", _case("test_post", FAILURE))
        code, out = self._verdict(without, with_care)
        self.assertEqual(code, 0)
        self.assertIn("why: (b) +1", out)

    def test_failing_in_both_is_reported_not_counted(self):
        without = self._junit("a.xml", _case("test_js", "<error message='E'/>", OCA))
        with_care = self._junit("b.xml", _case("test_js", "<error message='E'/>", OCA))
        code, out = self._verdict(without, with_care)
        self.assertEqual(code, 0)
        self.assertIn(
            "helpdesk_mgmt/tests/test_helpdesk_ticket.py::TestTicket::test_js", out
        )

    def test_a_subtest_failing_fails_its_test_and_missing_counts_as_failing(self):
        without = self._junit("a.xml", _case("test_loop"), _case("test_gone"))
        with_care = self._junit(
            "b.xml", _case("test_loop"), _case("test_loop", FAILURE), _case("other")
        )
        code, out = self._verdict(without, with_care)
        self.assertEqual(code, 1)
        self.assertIn("::TestPerf::test_loop  (failed", out)
        self.assertIn("::TestPerf::test_gone  (missing", out)

    def test_a_run_without_custcare_loop_that_collected_nothing_fails(self):
        empty = self._junit("a.xml")
        code, out = self._verdict(empty, self._junit("b.xml", _case("test_post")))
        self.assertEqual(code, 1)
        self.assertIn("collected no test", out)
