#!/usr/bin/env python3
"""Screenshots of custcare_loop's demo for the addon's Apps page.

Builds a database with custcare_loop and its demo data (or reuses it with
--reuse), starts Odoo on 127.0.0.1 on a free port, drives headless Chromium
with Playwright and saves PNGs into custcare_loop/static/description/, then
stops the server. The screens change nothing the next run depends on: dialogs
are opened and left, the customer's answer page is only looked at (GET).

Playwright wants greenlet 3, Odoo 19 pins greenlet 2 on Python 3.11, so keep
Playwright out of Odoo's environment: run this script from a virtualenv of
its own; Odoo itself is started with a Python that imports it (--odoo-python,
else the first of this interpreter, python3 on PATH that does). No browser is
downloaded: Playwright drives the system's Chromium (--chromium).

    python3 -m venv ~/.cache/custcare-shots
    ~/.cache/custcare-shots/bin/pip install playwright pillow
    ~/.cache/custcare-shots/bin/python tools/screenshots.py [--reuse] [--only NAME ...]

Exit code 0 when every screen was saved; 1 when a screen failed (each failure
is named, with a screenshot of the page as it was and the server's log under
.test-logs/screenshots/); 2 for a setup error; 3 when the whole run passed
--deadline.
"""

import argparse
import contextlib
import html
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDON = "custcare_loop"
# the demo database has CRM too, so that its bridge (lost deals) is shown
BRIDGE_CRM = "custcare_loop_crm"
INSTALL = f"{ADDON},crm"
OUT_DIR = ROOT / ADDON / "static" / "description"
CRM_OUT_DIR = ROOT / BRIDGE_CRM / "static" / "description"
LOG_DIR = ROOT / ".test-logs" / "screenshots"
VIEWPORT = {"width": 1440, "height": 900}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Odoo's busy signs: a screen is ready when none of them shows
BUSY = ".o_loading_indicator, .o_blockUI, .fa-spin.fa-circle-o-notch"


class ScreenError(Exception):
    pass


class Setup(Exception):
    pass


def log(msg):
    print(f"screenshots: {msg}", flush=True)


# ---------------------------------------------------------------- database and server


def odoo_python(explicit):
    found = [sys.executable, shutil.which("python3"), "/usr/bin/python3"]
    candidates = [explicit] if explicit else found
    check = "import odoo.release as r; assert r.version_info[0] == 19"
    for python in filter(None, candidates):
        done = subprocess.run([python, "-c", check], capture_output=True, check=False)
        if done.returncode == 0:
            return python
    raise Setup(f"no Python imports Odoo 19 among {candidates}; pass --odoo-python")


def psql(db, sql):
    out = subprocess.run(
        ["psql", "-d", db, "-Atc", sql], capture_output=True, text=True, check=False
    )
    return out.returncode, out.stdout.strip(), out.stderr.strip()


def database_exists(db):
    code, out, err = psql(
        "postgres", f"SELECT 1 FROM pg_database WHERE datname = '{db}'"
    )
    if code:
        raise Setup(f"PostgreSQL does not answer (run tools/ensure-postgres): {err}")
    return out == "1"


def addon_installed(db):
    sql = (
        "SELECT count(*) FROM ir_module_module "
        f"WHERE name IN ('{ADDON}', '{BRIDGE_CRM}') AND state = 'installed'"
    )
    return psql(db, sql)[1] == "2"


def build_database(python, db, timeout):
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    log(f"installing {ADDON} with demo data in {db} (log: {LOG_DIR / 'install.log'})")
    cmd = [
        python, "-m", "odoo", "-d", db, f"--addons-path={ROOT}", "-i", INSTALL,
        "--with-demo", "--stop-after-init", "--http-interface=127.0.0.1",
        "--log-level=warn",
    ]  # fmt: skip
    with open(LOG_DIR / "install.log", "w") as out:
        try:
            done = subprocess.run(
                cmd,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                cwd=ROOT,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise Setup(f"installing {ADDON} took more than {timeout} s") from exc
    if done.returncode or not addon_installed(db):
        raise Setup(f"installing {ADDON} failed, see {LOG_DIR / 'install.log'}")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(python, db, port, timeout):
    cmd = [
        python, "-m", "odoo", "-d", db, f"--addons-path={ROOT}",
        "--http-interface=127.0.0.1", f"--http-port={port}", f"--db-filter=^{db}$",
        "--max-cron-threads=0", "--log-level=warn",
    ]  # fmt: skip
    logfile = open(LOG_DIR / "server.log", "w")  # noqa: SIM115 (closed with the server)
    server = subprocess.Popen(
        cmd, stdout=logfile, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
    )
    server.logfile = logfile
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise Setup(
                f"Odoo stopped at start (exit {server.returncode}), "
                f"see {LOG_DIR / 'server.log'}"
            )
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/web/health", timeout=5) as resp,
        ):
            if resp.status == 200:
                return server, url
        time.sleep(0.5)
    stop_server(server)
    raise Setup(
        f"Odoo did not answer on {url} within {timeout} s, see {LOG_DIR / 'server.log'}"
    )


def stop_server(server):
    if server is None or server.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
    server.logfile.close()


# ---------------------------------------------------------------- browser helpers


class Shooter:
    def __init__(self, browser, url, out_dir, reduce):
        self.browser = browser
        self.url = url
        self.out_dir = out_dir
        self.reduce = reduce
        self.context = self.new_context()
        self.page = self.new_page()

    def new_context(self):
        context = self.browser.new_context(
            viewport=VIEWPORT,
            device_scale_factor=1,
            color_scheme="light",
            locale="en-US",
            timezone_id="Europe/Brussels",  # the demo users' time zone
        )
        context.set_default_timeout(20_000)
        context.set_default_navigation_timeout(30_000)
        return context

    def login(self):
        page = self.page
        page.goto(f"{self.url}/web/login?redirect=/web/health")
        page.fill("input[name=login]", "admin")
        page.fill("input[name=password]", "admin")
        with page.expect_navigation():
            page.click("form.oe_login_form button[type=submit]")
        if "/web/login" in page.url:
            raise ScreenError("logging in as admin/admin failed")
        # no OdooBot onboarding chat window over the screens
        uid = self.rpc("res.users", "search", [[("login", "=", "admin")]])
        self.rpc("res.users", "write", [uid, {"odoobot_state": "disabled"}])

    def rpc(self, model, method, args, **kwargs):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": kwargs,
            },
        }
        resp = self.context.request.post(
            f"{self.url}/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        body = resp.json()
        if "error" in body:
            raise ScreenError(
                f"{model}.{method}: "
                f"{body['error'].get('data', {}).get('message') or body['error']}"
            )
        return body["result"]

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self.rpc(
            "ir.model.data",
            "search_read",
            [[("module", "=", module), ("name", "=", name)]],
            fields=["res_id"],
        )
        if not rows:
            raise ScreenError(f"demo record {xmlid} is missing")
        return rows[0]["res_id"]

    def watch_network(self, page):
        """Count the page's requests in flight. Playwright's "networkidle" never
        comes in Odoo's web client: the bus's shared worker script stays open."""
        page.custcare_inflight = set()
        page.custcare_last = time.monotonic()

        def start(request):
            if "/bus/" not in request.url:
                page.custcare_inflight.add(request)
                page.custcare_last = time.monotonic()

        def end(request):
            page.custcare_inflight.discard(request)
            page.custcare_last = time.monotonic()

        page.on("request", start)
        page.on("requestfinished", end)
        page.on("requestfailed", end)

    def wait_network_idle(self, page, quiet=0.5, timeout=30):
        deadline = time.monotonic() + timeout
        while page.custcare_inflight or time.monotonic() - page.custcare_last < quiet:
            if time.monotonic() > deadline:
                urls = ", ".join(r.url for r in list(page.custcare_inflight)[:3])
                raise ScreenError(
                    f"the network was still busy after {timeout} s: {urls}"
                )
            page.wait_for_timeout(100)

    def new_page(self, context=None):
        page = (context or self.context).new_page()
        self.watch_network(page)
        return page

    def open(self, path, ready, page=None):
        page = page or self.page
        page.goto(f"{self.url}{path}")
        self.settle(ready, page)

    def settle(self, ready, page=None):
        """Wait for the screen's main element, the network and Odoo's busy signs."""
        page = page or self.page
        page.wait_for_selector(ready, state="visible")
        self.wait_network_idle(page)
        page.wait_for_function(f"() => !document.querySelector({json.dumps(BUSY)})")
        page.evaluate("() => document.fonts.ready")
        # two frames: Owl's last render and the dialog's fade-in are done
        page.evaluate(
            "() => new Promise(r => "
            "requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        page.wait_for_timeout(300)

    def close_chat_windows(self):
        for button in self.page.locator(
            ".o-mail-ChatWindow button[title='Close Chat Window']"
        ).all():
            with contextlib.suppress(Exception):
                button.click(timeout=2_000)

    def shot(self, name, page=None, out_dir=None):
        page = page or self.page
        path = (out_dir or self.out_dir) / f"{name}.png"
        page.screenshot(path=str(path), animations="disabled", caret="hide")
        if self.reduce:
            reduce_png(path)
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        log(f"saved {shown} ({path.stat().st_size // 1024} KB)")


def reduce_png(path):
    """256 colours, no dithering: UI screens stay sharp at a third of the size."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as img:
        small = img.convert("RGB").quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    small.save(path, optimize=True)


# ---------------------------------------------------------------- the screens


def screen_conversation_add_point(s):
    """Add Point & Close on an open conversation: record a point and close at once."""
    try:
        conv_id = s.ref(f"{ADDON}.conv_harbourview_call")
        state = s.rpc(
            "custcare.conversation",
            "read",
            [[conv_id], ["state", "improvement_point_count"]],
        )[0]
        assert state["state"] == "open" and not state["improvement_point_count"]
    except (ScreenError, AssertionError):
        ids = s.rpc(
            "custcare.conversation",
            "search",
            [[("state", "=", "open"), ("improvement_point_ids", "=", False)]],
            limit=1,
        )
        if not ids:
            raise ScreenError(
                "no open conversation without an improvement point in the demo"
            ) from None
        conv_id = ids[0]
    s.open(
        f"/odoo/action-{ADDON}.custcare_conversation_action/{conv_id}",
        ".o_form_view .o_form_sheet",
    )
    s.page.click(".o_form_statusbar button[name=action_close_with_point]")
    dialog = ".modal .modal-content .o_form_view"
    s.settle(dialog)
    # what the rep heard; the dialog shows the company's similar points as they type
    s.page.fill(
        f"{dialog} [name=name] input, {dialog} [name=name] textarea",
        "Mini pastries for the breakfast buffet, in a mixed box",
    )
    s.page.fill(
        f"{dialog} [name=customer_words] textarea, "
        f"{dialog} [name=customer_words] input",
        "The minis go first; a mixed box of forty would make ordering easy.",
    )
    aspect = s.page.locator(f"{dialog} [name=aspect_id] input")
    aspect.fill("Product")
    s.page.locator(
        ".o-autocomplete--dropdown-menu .dropdown-item", has_text="Product"
    ).first.click()
    s.settle(f"{dialog} [name=similar_point_ids] .o_custcare_similar_point")
    # one click on "Same as" chooses the first suggestion
    s.page.locator(
        f"{dialog} .o_custcare_similar_point button.o_custcare_same_as"
    ).first.click()
    s.settle(f"{dialog} .o_custcare_similar_point.table-active")
    s.shot("conversation_add_point_close")
    s.page.click(".modal footer button:has-text('Discard')")


def screen_ticket_refusal(s):
    """An open ticket without a point moved to Done: refused, with the fix at hand."""
    ticket_id = s.ref(f"{ADDON}.ticket_sunrise_invoice_copy")
    ticket = s.rpc(
        "helpdesk.ticket",
        "read",
        [[ticket_id], ["closed", "custcare_improvement_point_count"]],
    )[0]
    if ticket["closed"] or ticket["custcare_improvement_point_count"]:
        raise ScreenError(
            "demo ticket ticket_sunrise_invoice_copy is closed or has a point "
            "(database changed?)"
        )
    s.open(f"/odoo/helpdesk.ticket/{ticket_id}", ".o_form_view .o_form_sheet")
    statusbar = s.page.locator(".o_statusbar_status")
    done = statusbar.locator("button.o_arrow_button", has_text="Done")
    if not done.count() or not done.first.is_visible():
        # folded stages sit in the statusbar's "..." menu
        statusbar.locator(".dropdown-toggle, .o_arrow_button_more").first.click()
        done = s.page.locator(".dropdown-menu .dropdown-item", has_text="Done")
    done.first.click()
    s.settle(".modal .o_custcare_missing_point .o_custcare_add_point_close")
    s.shot("ticket_refused_add_point_close")
    s.page.click(".modal .o_custcare_missing_point button:has-text('Not Now')")
    # "Not Now" leaves the form changed (stage Done, unsaved): discard, or
    # leaving it would try to save and be refused again
    s.page.locator(".o_form_button_cancel").first.click()
    s.settle(".o_form_view .o_form_sheet")


def screen_care_board(s):
    """Customers under care by contact state: overdue, due, on track."""
    s.open(
        f"/odoo/action-{ADDON}.res_partner_action_care_board",
        ".o_kanban_renderer .o_kanban_group .o_kanban_record",
    )
    s.shot("care_board")


def screen_points_board(s):
    """Improvement points by state."""
    s.open(
        f"/odoo/action-{ADDON}.custcare_improvement_point_action",
        ".o_kanban_renderer .o_kanban_group .o_kanban_record",
    )
    s.shot("improvement_points_board")


def screen_campaign(s):
    """The change campaign's progress: activities done, open, overdue per customer."""
    campaign_id = s.ref(f"{ADDON}.campaign_flour_price")
    s.open(
        f"/odoo/action-{ADDON}.custcare_campaign_action/{campaign_id}",
        ".o_form_view .o_form_sheet",
    )
    s.page.click(".o_notebook .nav-link[name=progress]")
    s.settle(".o_notebook .tab-pane.active .o_field_x2many .o_data_row")
    s.shot("change_campaign_progress")


def screen_resolution_mail(s):
    """The resolution notice as the customer receives it: the outgoing mail."""
    ticket_id = s.ref(f"{ADDON}.ticket_cornerdeli_short")
    domain = [
        ("model", "=", "helpdesk.ticket"),
        ("res_id", "=", ticket_id),
        ("subject", "=like", "Resolved:%"),
    ]
    fields = ["subject", "email_from", "date"]
    mails = s.rpc(
        "mail.mail",
        "search_read",
        [domain],
        fields=[*fields, "email_to", "recipient_ids", "body_html"],
        order="id desc",
        limit=1,
    )
    if mails:  # the mail as it went out, in its layout
        mail = mails[0]
    else:  # the queue was sent and emptied: the notice as posted on the ticket
        log(
            "no outgoing mail left for the notice: "
            "rendering the message posted on the ticket"
        )
        messages = s.rpc(
            "mail.message",
            "search_read",
            [domain],
            fields=[*fields, "partner_ids", "outgoing_email_to", "body"],
            order="id desc",
            limit=1,
        )
        if not messages:
            raise ScreenError(
                "demo ticket ticket_cornerdeli_short has no resolution notice"
            )
        mail = dict(
            messages[0],
            recipient_ids=messages[0]["partner_ids"],
            email_to=messages[0]["outgoing_email_to"],
            body_html=messages[0]["body"],
        )
    recipients = [mail["email_to"]] if mail["email_to"] else []
    if mail["recipient_ids"]:
        partners = s.rpc(
            "res.partner", "read", [mail["recipient_ids"], ["email_formatted"]]
        )
        recipients += [p["email_formatted"] for p in partners]
    headers = "".join(
        f"<tr><th>{label}</th><td>{html.escape(value or '')}</td></tr>"
        for label, value in (
            ("From", mail["email_from"]),
            ("To", ", ".join(recipients)),
            ("Date", mail["date"] + " UTC"),
            ("Subject", mail["subject"]),
        )
    )
    page = s.new_page()
    page.set_content(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>"
        "body{margin:0;font-family:Verdana,Arial,sans-serif;background:#F1F1F1}"
        ".hdr{background:#fff;border-bottom:1px solid #ddd;padding:14px 24px}"
        ".hdr table{border-collapse:collapse;font-size:14px;color:#333}"
        ".hdr th{text-align:right;color:#777;font-weight:normal;padding:2px 12px 2px 0}"
        "iframe{border:0;width:100%;height:780px;display:block}"
        f"</style></head><body><div class='hdr'><table>{headers}</table></div>"
        f'<iframe srcdoc="{html.escape(mail["body_html"], quote=True)}"></iframe>'
        "</body></html>"
    )
    s.settle("iframe", page)
    page.frame_locator("iframe").locator(
        "a[href*='/custcare/feedback/']"
    ).first.wait_for()
    s.shot("resolution_notice_mail", page)
    page.close()


def screen_answer_page(s):
    """The customer's answer page behind the notice's "It partly works", logged out."""
    ratings = s.rpc(
        "rating.rating",
        "search_read",
        [
            [
                ("custcare_notice", "!=", False),
                ("consumed", "=", False),
                ("res_model", "=", "helpdesk.ticket"),
            ]
        ],
        fields=["access_token"],
        order="id desc",
        limit=1,
    )
    if not ratings:
        raise ScreenError("no unanswered Customer Care rating in the database")
    context = s.new_context()  # a fresh browser: the customer is not logged in
    try:
        page = s.new_page(context)
        s.open(
            f"/custcare/feedback/{ratings[0]['access_token']}/partial",
            "form button[type=submit]",
            page,
        )
        s.shot("customer_answer_page", page)
    finally:
        context.close()


def screen_at_risk(s):
    """Customer health: the At Risk board, worst first, with the reasons."""
    s.open(
        f"/odoo/action-{ADDON}.res_partner_action_at_risk",
        ".o_kanban_renderer .o_kanban_group .o_kanban_record",
    )
    s.shot("at_risk_board")


def screen_top_concerns(s):
    """Top Concerns: the open points raised by the most customers."""
    s.open(
        f"/odoo/action-{ADDON}.custcare_improvement_point_action_top_concerns",
        ".o_list_renderer .o_data_row",
    )
    s.shot("top_concerns")


def screen_faq(s):
    """The public FAQ page, logged out."""
    context = s.new_context()
    try:
        page = s.new_page(context)
        s.open("/custcare/faq", "main", page)
        s.shot("public_faq", page)
    finally:
        context.close()


def screen_customer_tab(s):
    """A customer's Customer Care tab: cadence, contact, health, timeline."""
    partner_id = s.ref(f"{ADDON}.partner_harbourview")
    s.open(
        f"/odoo/action-{ADDON}.res_partner_action_care_board/{partner_id}",
        ".o_form_view .o_notebook .tab-pane.active",
    )
    tab = s.page.locator(".o_notebook .nav-link[name=custcare]")
    if "active" not in (tab.get_attribute("class") or ""):
        tab.click()
    s.settle(".o_notebook .tab-pane.active [name=custcare_health]")
    # the notebook at the top of the screen: cadence, health and the timeline's start
    s.page.locator(".o_notebook").scroll_into_view_if_needed()
    s.page.evaluate(
        "() => document.querySelector('.o_notebook').scrollIntoView({block: 'start'})"
    )
    s.settle(".o_notebook .tab-pane.active [name=custcare_timeline]")
    s.shot("customer_care_tab")


def screen_lost_dialog(s):
    """custcare_loop_crm: Mark as Lost asks what the customer said and who won"""
    lead = s.ref("custcare_loop_crm.lead_open_sunrise")
    s.open(f"/odoo/crm/{lead}", ".o_form_view")
    s.page.click(".o_form_view .o_statusbar_buttons button:has-text('Lost')")
    point = ".modal .o_field_widget[name=custcare_point] textarea"
    s.settle(point)
    s.page.fill(point, "Your deliveries arrive too late for our brunch")
    s.page.fill(".modal .o_field_widget[name=custcare_competitor_id] input", "Golden")
    s.page.click(
        ".o-autocomplete--dropdown-item .dropdown-item:has-text('Golden Crust')"
    )
    # the similar points show once the text is read
    s.page.click(".modal .o_field_widget[name=custcare_aspect_id] input")
    s.page.keyboard.press("Escape")
    s.settle(
        ".modal .o_field_widget[name=custcare_similar_point_ids] "
        ".o_custcare_similar_point"
    )
    s.shot("lost_dialog", out_dir=CRM_OUT_DIR)
    s.page.click(".modal .btn-close")


def screen_lost_deals(s):
    """custcare_loop_crm: lost deals by the competitor that won, by month"""
    s.open("/odoo/action-custcare_loop_crm.crm_lead_action_lost_deals", ".o_pivot")
    s.shot("lost_deals", out_dir=CRM_OUT_DIR)


SCREENS = [
    ("conversation", screen_conversation_add_point),
    ("refusal", screen_ticket_refusal),
    ("care_board", screen_care_board),
    ("points", screen_points_board),
    ("campaign", screen_campaign),
    ("notice_mail", screen_resolution_mail),
    ("answer_page", screen_answer_page),
    ("at_risk", screen_at_risk),
    ("top_concerns", screen_top_concerns),
    ("faq", screen_faq),
    ("customer_tab", screen_customer_tab),
    ("lost_dialog", screen_lost_dialog),
    ("lost_deals", screen_lost_deals),
]


# ---------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        default="shot_demo",
        help="database (name starting with shot_), default shot_demo",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the database when custcare_loop is installed in it",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=[name for name, _ in SCREENS],
        help="these screens only",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=OUT_DIR,
        help=f"where the PNGs go (default {OUT_DIR.relative_to(ROOT)})",
    )
    parser.add_argument(
        "--odoo-python", help="Python that imports Odoo 19 (default: found)"
    )
    parser.add_argument(
        "--chromium",
        default="/usr/bin/chromium",
        help="Chromium to drive (default /usr/bin/chromium)",
    )
    parser.add_argument(
        "--no-reduce",
        action="store_true",
        help="keep Chromium's PNGs as they are "
        "(default: 256 colours with Pillow, if installed)",
    )
    parser.add_argument(
        "--deadline",
        type=int,
        default=1800,
        help="seconds for the whole run (default 1800)",
    )
    args = parser.parse_args()
    if not args.db.startswith("shot_"):
        parser.error("--db must start with shot_")
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    for old in LOG_DIR.glob("failed_*.png"):
        old.unlink()
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)

    server = None

    def overrun():
        print(
            f"screenshots: the run passed its deadline of {args.deadline} s; stopping",
            file=sys.stderr,
            flush=True,
        )
        stop_server(server)
        os._exit(3)

    watchdog = threading.Timer(args.deadline, overrun)
    watchdog.daemon = True
    watchdog.start()
    failures = []
    try:
        try:
            from playwright.sync_api import Error as PlaywrightError
            from playwright.sync_api import sync_playwright
        except ImportError as exc:
            raise Setup(
                f"Playwright is missing in {sys.executable}: pip install playwright "
                "(in a virtualenv, see this script's help)"
            ) from exc
        if not os.access(args.chromium, os.X_OK):
            raise Setup(f"no Chromium at {args.chromium}")
        python = odoo_python(args.odoo_python)
        if args.reuse and database_exists(args.db) and addon_installed(args.db):
            log(f"reusing database {args.db}")
        else:
            build_database(python, args.db, timeout=1200)
        server, url = start_server(python, args.db, free_port(), timeout=120)
        log(f"Odoo answers on {url}")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=args.chromium, args=CHROMIUM_ARGS
            )
            try:
                shooter = Shooter(browser, url, args.out, reduce=not args.no_reduce)
                shooter.login()
                for name, screen in SCREENS:
                    if args.only and name not in args.only:
                        continue
                    log(f"screen {name}: {screen.__doc__}")
                    try:
                        shooter.close_chat_windows()
                        screen(shooter)
                    except Exception as exc:  # noqa: BLE001 (named, counted, the run goes on)
                        failures.append(name)
                        debug = LOG_DIR / f"failed_{name}.png"
                        with contextlib.suppress(PlaywrightError):
                            shooter.page.screenshot(path=str(debug))
                        print(
                            f"screenshots: screen '{name}' FAILED: {exc}",
                            file=sys.stderr,
                        )
                        print(
                            f"screenshots:   page as it was: {debug}; "
                            f"server log: {LOG_DIR / 'server.log'}",
                            file=sys.stderr,
                            flush=True,
                        )
                        traceback.print_exc(limit=3)
                        # start the next screen from a clean page
                        with contextlib.suppress(PlaywrightError):
                            shooter.page.close()
                        shooter.page = shooter.new_page()
            finally:
                browser.close()
    except Setup as exc:
        print(f"screenshots: {exc}", file=sys.stderr)
        return 2
    finally:
        stop_server(server)
        watchdog.cancel()
    if failures:
        print(
            f"screenshots: {len(failures)} screen(s) failed: {', '.join(failures)}",
            file=sys.stderr,
        )
        return 1
    log("all screens saved")
    return 0


if __name__ == "__main__":
    sys.exit(main())
