"""Rules the code of custcare_loop and its bridges (custcare_loop_*) keeps,
read from its text (tests and migrations aside):

- every ``sudo()`` says why, as Odoo core writes it: a ``# sudo: model -
  reason`` comment on the lines just above the statement, or inside it
  before the call;
- one way to query: an ``odoo.tools.SQL`` object (``env.execute_query``,
  with ``to_flush``), never a string handed to ``cr.execute``."""

import ast
import io
import os
import re
import tokenize

from odoo.modules.module import get_module_path, get_modules
from odoo.tests import BaseCase, tagged

ADDON = "custcare_loop"
SKIPPED_FOLDERS = {"tests", "migrations"}
SUDO_REASON = "# sudo:"
# "# sudo: model - reason" (or "model, model - reason")
SUDO_REASON_FORM = re.compile(r"# sudo: [\w.]+(, [\w.]+)* - \S")


def _addons():
    """The addon and its bridges on the addons path, installed here or not."""
    return [ADDON] + sorted(
        name for name in get_modules() if name.startswith(f"{ADDON}_")
    )


def _python_files():
    """{path relative to the addons' folder: source} of every Python file of
    the addons, tests and migrations aside."""
    sources = {}
    for addon in _addons():
        root = get_module_path(addon)
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = sorted(set(subfolders) - SKIPPED_FOLDERS)
            for name in sorted(files):
                if name.endswith(".py"):
                    path = os.path.join(folder, name)
                    relative = os.path.relpath(path, os.path.dirname(root))
                    with open(path, encoding="utf-8") as file:
                        sources[relative] = file.read()
    return sources


def _calls_with_statement(tree):
    """(call, the innermost statement holding it) for every call in ``tree``."""

    def visit(node, statement):
        if isinstance(node, ast.stmt):
            statement = node
        if isinstance(node, ast.Call):
            yield node, statement
        for child in ast.iter_child_nodes(node):
            yield from visit(child, statement)

    return visit(tree, None)


def _is_sudo(call):
    """``x.sudo()`` or ``x.sudo(flag)``; ``x.sudo(False)`` drops rights and
    needs no reason."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr == "sudo"):
        return False
    drops = (
        len(call.args) == 1
        and isinstance(call.args[0], ast.Constant)
        and call.args[0].value is False
    )
    return not drops


def _is_string(node):
    """A string literal, an f-string, or one formatted or concatenated."""
    if isinstance(node, ast.BinOp):
        return _is_string(node.left)
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _is_raw_execute(call):
    """``cr.execute("...")`` or ``env.cr.execute(f"...")``: a string query."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "execute"):
        return False
    on_cursor = (isinstance(func.value, ast.Name) and func.value.id == "cr") or (
        isinstance(func.value, ast.Attribute) and func.value.attr == "cr"
    )
    return on_cursor and bool(call.args) and _is_string(call.args[0])


def check_source(source, name="<source>"):
    """The breaches of the rules in ``source``, as "name:line: what" texts."""
    lines = source.splitlines()
    comments = {
        token.start[0]: token.string
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    }

    def says_why(statement, call_line):
        # inside the statement, up to the call
        if any(
            SUDO_REASON_FORM.match(comments.get(line, ""))
            for line in range(statement.lineno, call_line + 1)
        ):
            return True
        # the comment lines just above the statement
        line = statement.lineno - 1
        while line >= 1 and lines[line - 1].strip().startswith("#"):
            if SUDO_REASON_FORM.match(lines[line - 1].strip()):
                return True
            line -= 1
        return False

    breaches = []
    for call, statement in _calls_with_statement(ast.parse(source, name)):
        if _is_sudo(call):
            # the line of ".sudo(": a chained call starts lines earlier
            call_line = call.func.end_lineno
            if not says_why(statement, call_line):
                breaches.append(
                    f"{name}:{call_line}: sudo() without a '{SUDO_REASON} model - "
                    "reason' comment above it"
                )
        elif _is_raw_execute(call):
            breaches.append(
                f"{name}:{call.lineno}: cr.execute() of a string: use "
                "env.execute_query(SQL(..., to_flush=...))"
            )
    return breaches


@tagged("post_install", "-at_install")
class TestCodeRules(BaseCase):
    def test_every_sudo_says_why_and_every_query_is_sql(self):
        sources = _python_files()
        self.assertIn(
            os.path.join(ADDON, "controllers", "main.py"),
            sources,
            "the addon's own files are read",
        )
        breaches = [
            breach
            for name, source in sources.items()
            for breach in check_source(source, name)
        ]
        if breaches:
            self.fail("\n".join(["The code breaks its rules:", *breaches]))

    def test_the_rules_catch_what_they_forbid(self):
        source = """
def reasons(self, ids):
    # sudo: res.partner - the customer's own name
    name = self.env["res.partner"].sudo().browse(ids).name
    partners = (
        self.env["res.partner"]
        # sudo: res.partner - inside the statement
        .sudo()
        .search([])
    )
    # sudo: no model named
    bare = self.env["res.partner"].sudo().search([])
    mine = self.sudo(False)
    # sudo: res.partner - one statement only

    again = self.sudo()
    self.env.cr.execute("SELECT 1")
    self.env.cr.execute("SELECT %s" % ids)
    self.env.cr.execute(SQL("SELECT 1"), log_exceptions=False)
    return self.env.execute_query(SQL("SELECT 1"))
"""
        breaches = check_source(source, "sample.py")
        # the sudo() whose reason names no model, the one a blank line parts
        # from its reason, and both string queries; nothing else
        self.assertEqual(
            [breach.split(": ")[0] for breach in breaches],
            ["sample.py:12", "sample.py:16", "sample.py:17", "sample.py:18"],
        )
        self.assertIn("sudo() without", breaches[0])
        self.assertIn("cr.execute() of a string", breaches[3])
