"""GitHub REST API double for bench/fleet: the commit-status part of the API the agent calls, with
GitHub's primary rate limit switched on, on 127.0.0.1 (not a test of GitHub, not the real thing).

What it serves, as GitHub documents it (REST API version 2022-11-28):
  POST /repos/{owner}/{repo}/statuses/{sha}          create a commit status (201)
  GET  /repos/{owner}/{repo}/commits/{ref}/statuses  statuses of a ref, newest first, paginated
  GET  /repos/{owner}/{repo}/commits/{ref}/status    the combined status (latest per context)
  GET  /rate_limit                                   the token's budget (does not count against it)
Anything else answers 404 and is logged as such, so a call the bench did not expect shows up.

Auth: `Authorization: Bearer T` (or `token T`); T must be one of --tokens (lines "TOKEN AGENT"), else
401 "Bad credentials". Every request is logged to --log as one line "AGENT METHOD PATH STATUS", so the
bench counts requests per agent (each agent has its own token).

Primary rate limit: every authenticated request (but /rate_limit and a 304) draws from a budget of
--limit requests per --window seconds. --pool shared: all tokens draw from one budget, as every
agent of a fleet does when they share one GitHub App installation or one bot's token; --pool token:
one budget per token. Every answer carries x-ratelimit-limit/-remaining/-used/-reset/-resource;
past the limit GitHub answers 403 (or 429, --refuse-status) with x-ratelimit-remaining: 0 and
"API rate limit exceeded ...", which is what this double answers, logged with status 403/429.

Usage: forge_double.py --repo OWNER/NAME --tokens FILE --log FILE --port-file FILE [--git-dir DIR]
                       [--limit N] [--window SECONDS] [--pool shared|token] [--refuse-status 403|429]
The port is ephemeral: the double writes it to --port-file once it listens.
"""

import argparse
import datetime
import hashlib
import json
import math
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API_VERSION = "2022-11-28"
DOCS = "https://docs.github.com/rest"
RATE_DOCS = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api"
STATES = ("error", "failure", "pending", "success")
STATUS_FIELDS = {"state", "target_url", "description", "context"}
MAX_STATUSES_PER_CONTEXT = 1000  # GitHub: at most 1000 statuses per sha and context
MAX_DESCRIPTION = 140

STATUSES = re.compile(r"^/repos/([^/]+)/([^/]+)/statuses/([^/]+)$")
REF_STATUSES = re.compile(r"^/repos/([^/]+)/([^/]+)/commits/([^/]+)/statuses$")
COMBINED = re.compile(r"^/repos/([^/]+)/([^/]+)/commits/([^/]+)/status$")
SHA = re.compile(r"^[0-9a-f]{40}$")


def now_iso(t):
    """GitHub writes times in whole seconds, UTC."""
    return datetime.datetime.fromtimestamp(int(t), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Budget:
    """One primary rate-limit budget: `limit` requests per fixed window, reset at `reset` (epoch seconds)."""

    def __init__(self, limit, window, holder):
        self.limit, self.window, self.holder = limit, window, holder
        self.used, self.reset = 0, int(time.time()) + window

    def roll(self):
        if time.time() >= self.reset:
            self.used, self.reset = 0, int(time.time()) + self.window

    def take(self):
        """True when the request fits; a refused request does not use the budget (GitHub keeps used at limit)."""
        self.roll()
        if self.used >= self.limit:
            return False
        self.used += 1
        return True

    def headers(self):
        self.roll()
        return {"x-ratelimit-limit": str(self.limit), "x-ratelimit-remaining": str(max(0, self.limit - self.used)),
                "x-ratelimit-used": str(self.used), "x-ratelimit-reset": str(self.reset),
                "x-ratelimit-resource": "core"}


class Forge:
    """The repository's statuses, the tokens and their budgets; one lock for all of it."""

    def __init__(self, args):
        self.repo = args.repo.lower()
        self.git_dir = args.git_dir
        self.tokens = {}
        with open(args.tokens) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2:
                    self.tokens[parts[0]] = parts[1]
        self.pool, self.limit, self.window = args.pool, args.limit, args.window
        self.refuse_status = args.refuse_status
        self.budgets = {}
        self.statuses = {}  # sha -> list of status objects, oldest first
        self.next_id = 1
        self.lock = threading.Lock()
        self.log = open(args.log, "a", buffering=1)
        self.known = set()

    def budget(self, token):
        key = "shared" if self.pool == "shared" else token
        if key not in self.budgets:
            # GitHub's wording: an App installation's budget, or a user's
            holder = "installation ID 1" if key == "shared" else f"user {self.tokens[token]}"
            self.budgets[key] = Budget(self.limit, self.window, holder)
        return self.budgets[key]

    def commit(self, ref):
        """The commit a ref names, or None: a full SHA, or (with --git-dir) a branch, tag or abbreviated SHA."""
        if self.git_dir is None:
            return ref if SHA.match(ref) else None
        if ref in self.known:
            return ref
        r = subprocess.run(["git", "--git-dir", self.git_dir, "rev-parse", "--verify", "--quiet", ref + "^{commit}"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        sha = r.stdout.strip() if r.returncode == 0 else None
        if sha and SHA.match(ref) and sha == ref:
            self.known.add(sha)
        return sha


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "GitHub.com"  # GitHub's Server header, without Python's version after it
    sys_version = ""
    forge = None

    def log_message(self, fmt, *args):  # the request log below is the double's only output
        pass

    def do_GET(self):
        self.handle_api("GET")

    def do_POST(self):
        self.handle_api("POST")

    def do_PATCH(self):
        self.handle_api("PATCH")

    def do_PUT(self):
        self.handle_api("PUT")

    def do_DELETE(self):
        self.handle_api("DELETE")

    def handle_api(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(self.path)
        path, query = url.path, urllib.parse.parse_qs(url.query)
        forge = self.forge
        with forge.lock:
            agent, status, headers, answer = self.route(forge, method, path, query, body)
            forge.log.write(f"{agent} {method} {path} {status}\n")
        self.reply(status, headers, answer)

    def route(self, forge, method, path, query, body):
        auth = self.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else auth[6:] if auth.startswith("token ") else None
        agent = forge.tokens.get(token) if token is not None else None
        if agent is None:
            return "-", 401, {}, {"message": "Bad credentials", "documentation_url": DOCS}
        version = self.headers.get("X-GitHub-Api-Version")
        if version is not None and version != API_VERSION:
            return agent, 400, {}, {"message": f"API version {version} is not supported.", "documentation_url": DOCS}
        budget = forge.budget(token)
        if path == "/rate_limit" and method == "GET":  # GitHub: /rate_limit does not count against the limit
            h = budget.headers()
            core = {"limit": budget.limit, "remaining": int(h["x-ratelimit-remaining"]), "reset": budget.reset,
                    "used": budget.used, "resource": "core"}
            return agent, 200, h, {"resources": {"core": core}, "rate": core}
        routed = self.endpoint(method, path)
        if routed is None:
            # unknown routes still cost a request on GitHub
            if not budget.take():
                return (agent, *self.refused(budget))
            return agent, 404, budget.headers(), {"message": "Not Found", "documentation_url": DOCS}
        kind, m = routed
        if (m.group(1) + "/" + m.group(2)).lower() != forge.repo:
            if not budget.take():
                return (agent, *self.refused(budget))
            return agent, 404, budget.headers(), {"message": "Not Found", "documentation_url": DOCS}
        if kind == "create":
            if not budget.take():
                return (agent, *self.refused(budget))
            return (agent, *self.create(forge, m.group(3), body, agent, budget))
        sha = forge.commit(urllib.parse.unquote(m.group(3)))
        if sha is None:
            if not budget.take():
                return (agent, *self.refused(budget))
            return agent, 422, budget.headers(), {"message": f"No commit found for SHA: {m.group(3)}",
                                                  "documentation_url": DOCS}
        if kind == "list":
            newest_first = list(reversed(forge.statuses.get(sha, [])))
            return (agent, *self.paged(budget, path, query, newest_first))
        return (agent, *self.combined(budget, path, query, sha, forge.statuses.get(sha, [])))

    @staticmethod
    def endpoint(method, path):
        for kind, pattern, verb in (("create", STATUSES, "POST"), ("list", REF_STATUSES, "GET"),
                                    ("combined", COMBINED, "GET")):
            m = pattern.match(path)
            if m and method == verb:
                return kind, m
        return None

    def refused(self, budget):
        h = budget.headers()
        h["x-ratelimit-remaining"] = "0"
        return self.forge.refuse_status, h, {"message": f"API rate limit exceeded for {budget.holder}.",
                                             "documentation_url": RATE_DOCS}

    def create(self, forge, sha_text, body, agent, budget):
        h = budget.headers()
        if not SHA.match(sha_text) or forge.commit(sha_text) is None:
            return 422, h, {"message": f"No commit found for SHA: {sha_text}", "documentation_url": DOCS}
        if "json" not in (self.headers.get("Content-Type") or ""):
            return 415, h, {"message": "Unsupported 'Content-Type' header", "documentation_url": DOCS}
        try:
            fields = json.loads(body)
        except ValueError:
            return 400, h, {"message": "Problems parsing JSON", "documentation_url": DOCS}
        if not isinstance(fields, dict) or fields.get("state") not in STATES:
            return 422, h, {"message": "Validation Failed", "errors": [{"resource": "Status", "field": "state",
                                                                        "code": "custom"}], "documentation_url": DOCS}
        for name in ("target_url", "description", "context"):
            if fields.get(name) is not None and not isinstance(fields[name], str):
                return 422, h, {"message": "Validation Failed", "documentation_url": DOCS}
        description = fields.get("description")
        if description is not None and len(description) > MAX_DESCRIPTION:
            return 422, h, {"message": "Validation Failed: description is too long (maximum is 140 characters)",
                            "documentation_url": DOCS}
        context = fields.get("context") or "default"
        posted = forge.statuses.setdefault(sha_text, [])
        if sum(1 for s in posted if s["context"] == context) >= MAX_STATUSES_PER_CONTEXT:
            return 422, h, {"message": "This SHA and context has reached the maximum number of statuses.",
                            "documentation_url": DOCS}
        t = time.time()
        status = {"url": f"{self.base()}/repos/{forge.repo}/statuses/{sha_text}", "id": forge.next_id,
                  "node_id": f"SC_{forge.next_id}", "state": fields["state"], "description": description,
                  "target_url": fields.get("target_url"), "context": context, "created_at": now_iso(t),
                  "updated_at": now_iso(t), "creator": {"login": agent, "type": "User"}}
        forge.next_id += 1
        posted.append(status)
        return 201, h, status

    def paged(self, budget, path, query, items):
        try:
            per_page = min(100, max(1, int(query.get("per_page", ["30"])[0])))
            page = max(1, int(query.get("page", ["1"])[0]))
        except ValueError:
            per_page, page = 30, 1
        last = max(1, math.ceil(len(items) / per_page))
        chunk = items[(page - 1) * per_page: page * per_page]
        links = []
        if page < last:
            links.append(f'<{self.base()}{path}?per_page={per_page}&page={page + 1}>; rel="next"')
            links.append(f'<{self.base()}{path}?per_page={per_page}&page={last}>; rel="last"')
        if page > 1:
            links.append(f'<{self.base()}{path}?per_page={per_page}&page=1>; rel="first"')
            links.append(f'<{self.base()}{path}?per_page={per_page}&page={page - 1}>; rel="prev"')
        return self.conditional(budget, chunk, {"Link": ", ".join(links)} if links else {})

    def combined(self, budget, path, query, sha, posted):
        latest = {}
        for s in posted:  # oldest first: the last one of a context wins
            latest[s["context"]] = s
        states = [s["state"] for s in latest.values()]
        if any(s in ("error", "failure") for s in states):
            state = "failure"
        elif not states or "pending" in states:
            state = "pending"
        else:
            state = "success"
        newest = sorted(latest.values(), key=lambda s: s["id"], reverse=True)
        answer = {"state": state, "statuses": newest[:100], "sha": sha, "total_count": len(newest),
                  "commit_url": f"{self.base()}/repos/{self.forge.repo}/commits/{sha}",
                  "url": f"{self.base()}/repos/{self.forge.repo}/commits/{sha}/status"}
        return self.conditional(budget, answer, {})

    def conditional(self, budget, answer, extra):
        """GitHub: a 304 to a conditional request does not count against the primary rate limit."""
        etag = '"' + hashlib.sha256(json.dumps(answer, sort_keys=True).encode()).hexdigest()[:40] + '"'
        if self.headers.get("If-None-Match") == etag:
            h = budget.headers()
            h["ETag"] = etag
            return 304, h, None
        if not budget.take():
            return self.refused(budget)
        h = budget.headers()
        h.update(extra)
        h["ETag"] = etag
        return 200, h, answer

    def base(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def reply(self, status, headers, answer):
        data = b"" if answer is None else json.dumps(answer).encode()
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("X-GitHub-Media-Type", "github.v3; format=json")
        if answer is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    p = argparse.ArgumentParser(description="GitHub REST API double (commit statuses, primary rate limit)")
    p.add_argument("--repo", required=True)
    p.add_argument("--tokens", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--git-dir")
    p.add_argument("--limit", type=int, default=5000)
    p.add_argument("--window", type=int, default=3600)
    p.add_argument("--pool", choices=("shared", "token"), default="shared")
    p.add_argument("--refuse-status", type=int, choices=(403, 429), default=403)
    args = p.parse_args()
    Handler.forge = Forge(args)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, args.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
