"""HTTP and JSON-RPC clients, and the recorder of what came back."""

import itertools
import threading
import time
from collections import Counter, defaultdict

import requests


class Recorder:
    """Latency, HTTP status and RPC errors per kind of request; each request
    also as an event (start, end, kind, server, status), for a run on
    several servers."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.statuses = defaultdict(Counter)
        self.rpc_errors = defaultdict(Counter)
        self.examples = {}
        self.events = []

    def add(self, kind, seconds, status, server=None, started=None):
        with self.lock:
            self.latencies[kind].append(seconds * 1000)
            self.statuses[kind][status] += 1
            if started is not None:
                self.events.append((started, started + seconds, kind, server, status))

    def rpc_error(self, kind, message, example=""):
        with self.lock:
            self.rpc_errors[kind][message] += 1
            self.examples.setdefault((kind, message), example)

    def timed(self, kind, send, server=None):
        started = time.perf_counter()
        try:
            response = send()
        except requests.RequestException as exc:
            seconds = time.perf_counter() - started
            self.add(kind, seconds, type(exc).__name__, server, started)
            return None
        seconds = time.perf_counter() - started
        self.add(kind, seconds, response.status_code, server, started)
        return response


class Router:
    """Where a client sends its next request: round robin over the servers
    that are up, as a load balancer does (one server: always that one)."""

    def __init__(self, servers):
        self.servers = list(servers)
        self.down = set()
        self._turn = itertools.count()
        self._lock = threading.Lock()

    def pick(self):
        with self._lock:
            up = [s for s in self.servers if s.name not in self.down]
            return up[next(self._turn) % len(up)]

    def take_down(self, server):
        """The balancer stops sending to ``server`` (its health check failed)."""
        with self._lock:
            self.down.add(server.name)


class RpcClient:
    """A JSON-RPC session of one user."""

    _ids = itertools.count(1)

    def __init__(self, router, db, login, password, recorder):
        self.router = router
        self.recorder = recorder
        self.session = requests.Session()
        self.login = login
        result, error = self._post(
            "login",
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
        )
        if error or not result or not result.get("uid"):
            raise RuntimeError(f"{login} could not sign in: {error or result}")
        self.uid = result["uid"]

    def _post(self, kind, path, params):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": next(self._ids),
            "params": params,
        }
        server = self.router.pick()
        response = self.recorder.timed(
            kind,
            lambda: self.session.post(
                f"{server.base}{path}", json=payload, timeout=300
            ),
            server.name,
        )
        if response is None:
            return None, "no response"
        if response.status_code != 200:
            return None, f"HTTP {response.status_code}"
        body = response.json()
        if "error" in body:
            data = body["error"].get("data") or {}
            name = data.get("name") or body["error"].get("message")
            message = (data.get("message") or "").splitlines()[0][:160]
            error = f"{name}: {message}"
            self.recorder.rpc_error(kind, error, data.get("debug", "")[-2000:])
            return None, error
        return body.get("result"), None

    def call(self, kind, model, method, args, kwargs=None):
        return self._post(
            kind,
            f"/web/dataset/call_kw/{model}.{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )


class ClientPool:
    """Signed-in sessions to share between threads, one user at a time."""

    def __init__(self, clients):
        self._clients = list(clients)
        self._free = threading.Semaphore(len(self._clients))
        self._lock = threading.Lock()

    def acquire(self):
        self._free.acquire()
        with self._lock:
            return self._clients.pop()

    def release(self, client):
        with self._lock:
            self._clients.append(client)
        self._free.release()


def classify(response):
    if response is None:
        return "no response"
    text = response.text
    if response.status_code >= 500:
        return f"HTTP {response.status_code}"
    if "We are sorry" in text or "Thank you for telling us" in text:
        return "thanks"
    if "Thank you!" in text:
        return "thanks"
    if "Already answered" in text:
        return "answered"
    if "no longer open" in text:
        return "expired"
    if response.status_code == 400 and "CSRF" in text:
        return "csrf rejected"
    return f"HTTP {response.status_code} other"


def message_id(result):
    """message_post over RPC answers the message's id (or [id])."""
    if isinstance(result, list):
        return result[0]
    return result
