#!/usr/bin/env python3
"""Helper of tools/referee: find the suites' files, and judge two runs.

    referee_helper.py files ADDONS_PATH SUITE...
        SUITE is ``addon`` (every tests/test_*.py of the addon) or
        ``addon:name,name`` (those files of its tests/). Prints one path a
        line; says on stderr which file name does not exist in this Odoo.

    referee_helper.py missing ADDONS_PATH ADDON...
        Prints, space-separated, the addons Odoo does not find.

    referee_helper.py compare WITHOUT.xml WITH.xml EXPECTED.txt
        Compares the junit results of the run without custcare_loop and the
        run with it. Exit 1 when a test that passes without custcare_loop
        does not pass with it and is not listed in EXPECTED.txt (one test id
        a line, ``# reason`` after it), or when the run without collected no
        test; exit 0 otherwise. Tests failing in both runs are listed, not
        counted.

A test id is ``addon/tests/test_file.py::Class::test_method``.
"""

import re
import sys
from pathlib import Path
from xml.etree import ElementTree

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
QUERY_COUNT = re.compile(
    r"Query count more than expected for user (\S+): (\d+) > (\d+) in (\S+) at (\S+)"
)


def module_paths(addons_path, names):
    """{addon: its directory} as Odoo finds it with ``addons_path``."""
    from odoo.tools import config

    config.parse_config([f"--addons-path={addons_path}", "--http-interface=127.0.0.1"])
    from odoo.modules.module import get_module_path

    return {name: get_module_path(name, display_warning=False) for name in names}


def suite_files(addons_path, suites):
    """(files, notes): the test files of ``suites`` and what was skipped."""
    wanted = []
    for suite in suites:
        addon, _sep, names = suite.partition(":")
        wanted.append((addon, [n for n in names.split(",") if n]))
    paths = module_paths(addons_path, [addon for addon, _names in wanted])
    files, notes = [], []
    for addon, names in wanted:
        if not paths[addon]:
            notes.append(f"{addon}: not found in this Odoo, its tests are skipped")
            continue
        tests = Path(paths[addon]) / "tests"
        if not names:
            found = sorted(tests.glob("test_*.py"))
            if not found:
                notes.append(f"{addon}: has no tests/test_*.py")
            files += found
            continue
        for name in names:
            path = tests / f"{name}.py"
            if path.is_file():
                files.append(path)
            else:
                notes.append(f"{addon}: tests/{name}.py does not exist here, skipped")
    return files, notes


def test_id(classname, name):
    """``addon/tests/file.py::Class::name`` from junit's dotted classname
    (pytest run with --rootdir=/, so it holds the whole path)."""
    dotted = classname.rsplit(".addons.", 1)[-1]
    *module, cls = dotted.split(".")
    return f"{'/'.join(module)}.py::{cls}::{name}"


def read_junit(path):
    """{test id: (outcome, message)}. A test reported several times (its
    subtests) fails when any report fails, is skipped when all are."""
    results = {}
    for case in ElementTree.parse(path).iter("testcase"):
        key = test_id(case.get("classname", ""), case.get("name", ""))
        problems = [child for child in case if child.tag in ("failure", "error")]
        if problems:
            outcome = FAILED
            message = "\n".join(
                (p.get("message") or "") + "\n" + (p.text or "") for p in problems
            )
        elif case.find("skipped") is not None:
            outcome, message = SKIPPED, case.find("skipped").get("message") or ""
        else:
            outcome, message = PASSED, ""
        known = results.get(key)
        if known is None:
            results[key] = (outcome, message)
        elif outcome == FAILED:
            previous = known[1] if known[0] == FAILED else ""
            results[key] = (FAILED, (previous + "\n" + message).strip())
        elif outcome == PASSED and known[0] == SKIPPED:
            results[key] = (PASSED, "")
    return results


def read_expected(path):
    """{test id: reason} of the failures allowed with custcare_loop."""
    expected = {}
    if not Path(path).is_file():
        return expected
    for line in Path(path).read_text().splitlines():
        entry, _sep, reason = line.partition("#")
        entry = entry.strip()
        if entry:
            expected[entry] = reason.strip()
    return expected


def summary(message):
    """The line that says why a test failed: its query counts, else the
    last line naming an error."""
    counts = dict.fromkeys(
        f"{user}: {count} > {limit} queries at {where}"
        for user, count, limit, _func, where in QUERY_COUNT.findall(message)
    )
    if counts:
        return "; ".join(counts)
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    for line in reversed(lines):
        if re.match(r"^(E\s+)?\w*(Error|Exception|Failure)\b", line):
            return line[:300]
    return (lines[0] if lines else "")[:300]


def classify(without, with_care, expected):
    """{kind: [(test id, outcome with custcare_loop, message)]}: regressions
    (pass without, not with, not expected), allowed (the same, expected),
    both (fail in both; message without, then with), fixed (fail without,
    pass with) and stale (expected but passing)."""
    kinds = {kind: [] for kind in ("regressions", "allowed", "both", "fixed")}
    for key, (outcome, message) in sorted(without.items()):
        care_outcome, care_message = with_care.get(key, ("missing", ""))
        if outcome == PASSED and care_outcome != PASSED:
            kind = "allowed" if key in expected else "regressions"
            kinds[kind].append((key, care_outcome, care_message))
        elif outcome == FAILED and care_outcome == FAILED:
            kinds["both"].append((key, message, care_message))
        elif outcome == FAILED and care_outcome == PASSED:
            kinds["fixed"].append((key, care_outcome, ""))
    kinds["stale"] = [
        (key, PASSED, "")
        for key in sorted(expected)
        if with_care.get(key, ("",))[0] == PASSED
    ]
    return kinds


def compare(without_path, with_path, expected_path, out=sys.stdout):
    """Print the verdict; return the exit code."""
    without = read_junit(without_path)
    with_care = read_junit(with_path)
    expected = read_expected(expected_path)
    if not without:
        print("the run without custcare_loop collected no test", file=out)
        return 1
    kinds = classify(without, with_care, expected)
    counts = {}
    for outcome, _message in without.values():
        counts[outcome] = counts.get(outcome, 0) + 1
    print(
        f"without custcare_loop: {len(without)} tests ("
        + ", ".join(f"{n} {o}" for o, n in sorted(counts.items()))
        + f"); with it: {len(with_care)} tests",
        file=out,
    )
    if kinds["both"]:
        print(f"\nfail in both databases (not counted): {len(kinds['both'])}", file=out)
        for key, message, care_message in kinds["both"]:
            print(f"  {key}\n      without: {summary(message)}", file=out)
            if summary(care_message) != summary(message):
                print(f"      with:    {summary(care_message)}", file=out)
    titles = {
        "fixed": "fail without custcare_loop, pass with it",
        "allowed": f"expected to fail with custcare_loop ({expected_path})",
        "stale": f"listed in {expected_path} but passing now (remove them)",
        "regressions": "FAIL: pass without custcare_loop, not with it",
    }
    for kind, title in titles.items():
        if kinds[kind]:
            print(f"\n{title}: {len(kinds[kind])}", file=out)
        for key, outcome, message in kinds[kind]:
            why = f": {summary(message)}" if message else ""
            print(
                f"  {key}  ({outcome}{why})" if outcome != PASSED else f"  {key}",
                file=out,
            )
            if kind == "allowed":
                print(f"      why: {expected[key]}", file=out)
    if kinds["regressions"]:
        return 1
    print("\nno test that passes without custcare_loop fails with it", file=out)
    return 0


def main(argv):
    if len(argv) >= 3 and argv[1] == "files":
        files, notes = suite_files(argv[2], argv[3:])
        for note in notes:
            print(f"tools/referee: {note}", file=sys.stderr)
        for path in files:
            print(path)
        return 0
    if len(argv) >= 3 and argv[1] == "missing":
        paths = module_paths(argv[2], argv[3:])
        print(" ".join(name for name, path in paths.items() if not path))
        return 0
    if len(argv) == 5 and argv[1] == "compare":
        return compare(argv[2], argv[3], argv[4])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
