"""The sandbox's HTTP server: X API v2's endpoints we use, plus a control API for tests.

X API (under /2/), with X's JSON shapes, status codes and x-rate-limit-* headers:
  POST   /2/tweets                    OAuth 1.0a; {"text", "reply": {"in_reply_to_tweet_id"}}
  DELETE /2/tweets/:id                OAuth 1.0a
  GET    /2/tweets/:id                bearer or OAuth; fields and expansions
  GET    /2/users/me                  OAuth 1.0a
  GET    /2/users/:id/tweets          bearer or OAuth; newest first, pagination_token
  GET    /2/tweets/search/recent      bearer; query=conversation_id:<id> (from:<name> also),
                                      since_id, until_id, max_results, next_token, fields
Control API (under /_sandbox/, for tests, the demo and the benchmark):
  POST /_sandbox/replies              {"in_reply_to", "username", "name"?, "text", "created_at"?}
  POST /_sandbox/replies/bulk         {"replies": [...]} (each may answer an earlier one in the
                                      list: "in_reply_to_index": its position, instead of an id)
  POST /_sandbox/faults               {"kind": "429"|"500"|"503"|"hang"|"hang_after",
                                       "count": N, "seconds": S, "method"?, "path"?}
  POST /_sandbox/limits               {"route": "search"|..., "limit": N, "window": seconds}
  POST /_sandbox/reset                forget every tweet, account, fault and counter
  GET  /_sandbox/tweets?conversation_id=  or  ?latest=N ;  GET /_sandbox/stats
"""

import base64
import binascii
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .state import Account, SandboxError, SandboxState, parse_iso

MAX_TWEET_WEIGHT = 280

TWEET_FIELDS = {
    "attachments",
    "author_id",
    "context_annotations",
    "conversation_id",
    "created_at",
    "edit_controls",
    "entities",
    "geo",
    "id",
    "in_reply_to_user_id",
    "lang",
    "possibly_sensitive",
    "public_metrics",
    "referenced_tweets",
    "reply_settings",
    "source",
    "text",
    "withheld",
    "edit_history_tweet_ids",
}
USER_FIELDS = {
    "created_at",
    "description",
    "id",
    "location",
    "name",
    "pinned_tweet_id",
    "profile_image_url",
    "protected",
    "public_metrics",
    "url",
    "username",
    "verified",
}
EXPANSIONS = {"author_id", "in_reply_to_user_id", "referenced_tweets.id"}

# Per credential and route, like X's 15-minute windows (generous, so only tests hit them).
DEFAULT_LIMITS = {
    "create": (200, 900),
    "delete": (50, 900),
    "lookup": (900, 900),
    "me": (75, 900),
    "timeline": (900, 900),
    "search": (450, 900),
}

INVALID = "https://api.twitter.com/2/problems/invalid-request"


@dataclass
class Fault:
    kind: str
    remaining: int
    seconds: float = 2.0
    method: str = ""
    path: str = ""

    def matches(self, method: str, path: str) -> bool:
        return (not self.method or self.method.upper() == method) and path.startswith(
            self.path or "/2/"
        )


@dataclass
class Runtime:
    """What lives only as long as the server process: faults, rate windows, call counts."""

    faults: list[Fault] = field(default_factory=list)
    limits: dict = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    windows: dict = field(default_factory=dict)
    calls: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.remaining > 0 and fault.matches(method, path):
                    fault.remaining -= 1
                    return fault
            self.faults = [f for f in self.faults if f.remaining > 0]
        return None

    def count(self, route: str) -> None:
        with self.lock:
            self.calls[route] = self.calls.get(route, 0) + 1

    def hit(self, route: str, credential: str) -> tuple[int, int, int]:
        """Count one call; returns (limit, remaining, reset epoch)."""
        limit, window = self.limits[route]
        now = time.time()
        with self.lock:
            start, used = self.windows.get((route, credential), (now, 0))
            if now >= start + window:
                start, used = now, 0
            used += 1
            self.windows[(route, credential)] = (start, used)
        return limit, limit - used, int(start + window)


def weighted_length(text: str) -> int:
    """X's count, enough to refuse over-long posts (social.textlength has the full rules)."""
    text = re.sub(r"https?://\S+", "x" * 23, text)
    return sum(1 if ord(c) <= 4351 or 8192 <= ord(c) <= 8303 else 2 for c in text)


def _csv(params, name: str) -> list[str]:
    values = []
    for value in params.get(name, []):
        values.extend(v for v in value.split(",") if v)
    return values


def _int_param(params, name: str, low=None, high=None, default=None):
    raw = params.get(name, [None])[0]
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or (low is not None and int(raw) < low) or (high and int(raw) > high):
        bounds = f" It must be between {low} and {high}." if low is not None else ""
        raise SandboxError(
            400,
            "Invalid Request",
            "One or more parameters to your request was invalid.",
            INVALID,
            errors=[
                {
                    "parameters": {name: [raw]},
                    "message": f"The `{name}` query parameter value [{raw}] is not valid.{bounds}",
                }
            ],
        )
    return int(raw)


def _check_allowed(params, name: str, allowed: set[str]) -> list[str]:
    values = _csv(params, name)
    for value in values:
        if value not in allowed:
            raise SandboxError(
                400,
                "Invalid Request",
                "One or more parameters to your request was invalid.",
                INVALID,
                errors=[
                    {
                        "parameters": {name: [",".join(values)]},
                        "message": f"The `{name}` query parameter value [{value}] is not one "
                        f"of [{','.join(sorted(allowed))}]",
                    }
                ],
            )
    return values


def _token(value: int) -> str:
    return base64.urlsafe_b64encode(f"b{value}".encode()).decode().rstrip("=")


def _untoken(token: str, name: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        if raw.startswith("b") and raw[1:].isdigit():
            return int(raw[1:])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise SandboxError(
        400,
        "Invalid Request",
        "One or more parameters to your request was invalid.",
        INVALID,
        errors=[{"parameters": {name: [token]}, "message": f"The `{name}` is invalid."}],
    )


class Renderer:
    """Turns stored tweets into X's JSON, with only the fields the caller asked for."""

    def __init__(self, state: SandboxState, params):
        self.state = state
        self.tweet_fields = set(_check_allowed(params, "tweet.fields", TWEET_FIELDS))
        self.user_fields = set(_check_allowed(params, "user.fields", USER_FIELDS))
        self.expansions = set(_check_allowed(params, "expansions", EXPANSIONS))

    def tweet(self, t: dict) -> dict:
        out = {"id": str(t["id"]), "text": t["text"], "edit_history_tweet_ids": [str(t["id"])]}
        f = self.tweet_fields
        if "author_id" in f:
            out["author_id"] = t["author_id"]
        if "conversation_id" in f:
            out["conversation_id"] = str(t["conversation_id"])
        if "created_at" in f:
            out["created_at"] = t["created_at"]
        if "in_reply_to_user_id" in f and t["in_reply_to_user_id"]:
            out["in_reply_to_user_id"] = t["in_reply_to_user_id"]
        if "referenced_tweets" in f and t["in_reply_to_id"]:
            out["referenced_tweets"] = [{"type": "replied_to", "id": str(t["in_reply_to_id"])}]
        if "lang" in f:
            out["lang"] = "en"
        if "possibly_sensitive" in f:
            out["possibly_sensitive"] = False
        if "reply_settings" in f:
            out["reply_settings"] = "everyone"
        if "public_metrics" in f:
            out["public_metrics"] = {
                "retweet_count": 0,
                "reply_count": 0,
                "like_count": 0,
                "quote_count": 0,
                "bookmark_count": 0,
                "impression_count": 0,
            }
        return out

    def user(self, a: Account) -> dict:
        out = {"id": a.id, "name": a.name, "username": a.username}
        f = self.user_fields
        if "created_at" in f:
            out["created_at"] = "2020-01-01T00:00:00.000Z"
        if "description" in f:
            out["description"] = ""
        if "protected" in f:
            out["protected"] = False
        if "verified" in f:
            out["verified"] = False
        if "profile_image_url" in f:
            out["profile_image_url"] = "https://pbs.twimg.com/profile_images/default_normal.png"
        return out

    def includes(self, tweets: list[dict]) -> dict:
        includes = {}
        user_ids = []
        if "author_id" in self.expansions:
            user_ids += [t["author_id"] for t in tweets]
        if "in_reply_to_user_id" in self.expansions:
            user_ids += [t["in_reply_to_user_id"] for t in tweets if t["in_reply_to_user_id"]]
        if user_ids:
            accounts = self.state.accounts_by_id(user_ids)
            seen, users = set(), []
            for uid in user_ids:
                if uid not in seen and uid in accounts:
                    seen.add(uid)
                    users.append(self.user(accounts[uid]))
            includes["users"] = users
        if "referenced_tweets.id" in self.expansions:
            referenced = []
            for t in tweets:
                if t["in_reply_to_id"]:
                    parent = self.state.get_tweet(t["in_reply_to_id"])
                    if parent:
                        referenced.append(self.tweet(parent))
            if referenced:
                includes["tweets"] = referenced
        return includes


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    # A hanging handler must never hold up shutdown.
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, state_dir: Path | str, host: str = "127.0.0.1", port: int = 0, quiet=True):
        self.state = SandboxState(state_dir)
        self.runtime = Runtime()
        self.quiet = quiet
        self._thread = None
        super().__init__((host, port), Handler)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "SandboxServer":
        """Serve from a background thread (tests, seed_demo, the benchmark)."""
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self.state.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SandboxServer
    server_version = "XSandbox/1.0"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if not self.server.quiet:
            super().log_message(format, *args)

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_DELETE(self):
        self._dispatch("DELETE")

    # Plumbing ------------------------------------------------------------------------------

    def _send(self, status: int, body: dict | None, headers: dict | None = None) -> None:
        payload = json.dumps(body).encode() if body is not None else b""
        try:
            self.send_response(status)
            self.send_header("content-type", "application/json; charset=utf-8")
            self.send_header("content-length", str(len(payload)))
            for name, value in (headers or {}).items():
                self.send_header(name, str(value))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _read_body(self) -> bytes:
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    def _body(self) -> dict:
        raw = self._raw_body
        if not raw:
            return {}
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise SandboxError(
                400, "Invalid Request", "Request body is not valid JSON.", INVALID
            ) from exc
        if not isinstance(data, dict):
            raise SandboxError(400, "Invalid Request", "Request body must be an object.", INVALID)
        return data

    def _error(self, exc: SandboxError, headers=None) -> None:
        body = {"title": exc.title, "detail": exc.detail, "type": exc.type, "status": exc.status}
        body.update(exc.extra)
        self._send(exc.status, body, headers)

    def _oauth_account(self) -> Account:
        header = self.headers.get("authorization", "")
        if header.startswith("OAuth "):
            pairs = dict(re.findall(r'(\w+)="([^"]*)"', header))
            if all(pairs.get(k) for k in ("oauth_consumer_key", "oauth_token", "oauth_signature")):
                return self.server.state.account_for_token(pairs["oauth_token"])
        raise SandboxError(401, "Unauthorized", "Unauthorized")

    def _credential(self, bearer_ok: bool, oauth_ok: bool) -> tuple[str, Account | None]:
        header = self.headers.get("authorization", "")
        if bearer_ok and header.startswith("Bearer "):
            token = header[7:].strip()
            if token and token != "None":  # noqa: S105 - tweepy sends "None" without a token  # nosec B105
                return "bearer:" + token, None
        if oauth_ok and header.startswith("OAuth "):
            account = self._oauth_account()
            return "user:" + account.id, account
        raise SandboxError(401, "Unauthorized", "Unauthorized")

    def _dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        path = url.path.rstrip("/") or "/"
        # Read the body whatever happens next, so a kept-alive connection stays in step.
        self._raw_body = self._read_body()
        try:
            if path.startswith("/_sandbox/"):
                self._control(method, path, params)
            elif path.startswith("/2/"):
                self._api(method, path, params)
            else:
                raise SandboxError(404, "Not Found", "Sorry, that page does not exist.")
        except SandboxError as exc:
            self._error(exc)

    # The X API -----------------------------------------------------------------------------

    ROUTES = [
        ("POST", re.compile(r"^/2/tweets$"), "create"),
        ("DELETE", re.compile(r"^/2/tweets/(?P<id>[^/]+)$"), "delete"),
        ("GET", re.compile(r"^/2/tweets/search/recent$"), "search"),
        ("GET", re.compile(r"^/2/tweets/(?P<id>[^/]+)$"), "lookup"),
        ("GET", re.compile(r"^/2/users/me$"), "me"),
        ("GET", re.compile(r"^/2/users/(?P<id>[^/]+)/tweets$"), "timeline"),
    ]

    def _api(self, method: str, path: str, params) -> None:
        runtime = self.server.runtime
        body = self._body() if method == "POST" else {}
        for route_method, pattern, route_name in self.ROUTES:
            match = pattern.match(path)
            if match and route_method == method:
                name = route_name
                break
        else:
            raise SandboxError(404, "Not Found", "Sorry, that page does not exist.")
        runtime.count(name)

        fault = runtime.take_fault(method, path)
        if fault and fault.kind == "hang":
            time.sleep(fault.seconds)
            self.close_connection = True
            return
        if fault and fault.kind == "429":
            self._error(
                SandboxError(429, "Too Many Requests", "Too Many Requests"),
                {
                    "x-rate-limit-limit": 1,
                    "x-rate-limit-remaining": 0,
                    "x-rate-limit-reset": int(time.time() + fault.seconds),
                },
            )
            return
        if fault and fault.kind in {"500", "503"}:
            status = int(fault.kind)
            title = "Internal Server Error" if status == 500 else "Service Unavailable"
            self._error(SandboxError(status, title, title))
            return

        bearer_ok = name in {"search", "lookup", "timeline"}
        oauth_ok = name != "search"
        credential, account = self._credential(bearer_ok, oauth_ok)
        limit, remaining, reset = runtime.hit(name, credential)
        rate_headers = {
            "x-rate-limit-limit": limit,
            "x-rate-limit-remaining": max(remaining, 0),
            "x-rate-limit-reset": reset,
        }
        if remaining < 0:
            self._error(SandboxError(429, "Too Many Requests", "Too Many Requests"), rate_headers)
            return
        try:
            status, payload = getattr(self, f"_api_{name}")(
                params, body, account, **match.groupdict()
            )
        except SandboxError as exc:
            self._error(exc, rate_headers)
            return
        if fault and fault.kind == "hang_after":
            # The work is done and stored; the caller just never hears back in time.
            time.sleep(fault.seconds)
            self.close_connection = True
            return
        self._send(status, payload, rate_headers)

    def _api_create(self, params, body, account):
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise SandboxError(
                400,
                "Invalid Request",
                "One or more parameters to your request was invalid.",
                INVALID,
                errors=[{"message": "$.text: is missing but it is required"}],
            )
        if weighted_length(text) > MAX_TWEET_WEIGHT:
            raise SandboxError(
                403, "Forbidden", "Your Tweet text is too long. For help with tweet length..."
            )
        reply = body.get("reply") or {}
        in_reply_to = reply.get("in_reply_to_tweet_id")
        if in_reply_to is not None and not str(in_reply_to).isdigit():
            raise SandboxError(
                400,
                "Invalid Request",
                "One or more parameters to your request was invalid.",
                INVALID,
                errors=[{"message": "$.reply.in_reply_to_tweet_id: does not match the regex"}],
            )
        tweet = self.server.state.create_tweet(account, text, in_reply_to)
        return 201, {
            "data": {
                "id": str(tweet["id"]),
                "text": tweet["text"],
                "edit_history_tweet_ids": [str(tweet["id"])],
            }
        }

    def _api_delete(self, params, body, account, id):  # noqa: A002
        if not id.isdigit():
            raise SandboxError(400, "Invalid Request", "The `id` is invalid.", INVALID)
        self.server.state.delete_tweet(account, int(id))
        return 200, {"data": {"deleted": True}}

    def _api_lookup(self, params, body, account, id):  # noqa: A002
        if not id.isdigit():
            raise SandboxError(
                400,
                "Invalid Request",
                "One or more parameters to your request was invalid.",
                INVALID,
                errors=[
                    {
                        "parameters": {"id": [id]},
                        "message": f"The `id` query parameter value [{id}] is not valid",
                    }
                ],
            )
        renderer = Renderer(self.server.state, params)
        tweet = self.server.state.get_tweet(int(id))
        if tweet is None:
            # X answers a missing tweet with 200 and an `errors` list, not a 404.
            return 200, {
                "errors": [
                    {
                        "value": id,
                        "detail": f"Could not find tweet with id: [{id}].",
                        "title": "Not Found Error",
                        "resource_type": "tweet",
                        "parameter": "id",
                        "resource_id": id,
                        "type": "https://api.twitter.com/2/problems/resource-not-found",
                    }
                ]
            }
        out = {"data": renderer.tweet(tweet)}
        includes = renderer.includes([tweet])
        if includes:
            out["includes"] = includes
        return 200, out

    def _api_me(self, params, body, account):
        renderer = Renderer(self.server.state, params)
        return 200, {"data": renderer.user(account)}

    def _listing(self, params, renderer, tweets, more, token_name) -> dict:
        if not tweets:
            return {"meta": {"result_count": 0}}
        meta = {
            "newest_id": str(tweets[0]["id"]),
            "oldest_id": str(tweets[-1]["id"]),
            "result_count": len(tweets),
        }
        if more:
            meta[token_name] = _token(tweets[-1]["id"])
        out = {"data": [renderer.tweet(t) for t in tweets]}
        includes = renderer.includes(tweets)
        if includes:
            out["includes"] = includes
        out["meta"] = meta
        return out

    def _time_param(self, params, name) -> datetime | None:
        raw = params.get(name, [None])[0]
        if not raw:
            return None
        try:
            return parse_iso(raw)
        except ValueError as exc:
            raise SandboxError(
                400, "Invalid Request", f"The `{name}` query parameter is invalid.", INVALID
            ) from exc

    def _api_timeline(self, params, body, account, id):  # noqa: A002
        renderer = Renderer(self.server.state, params)
        limit = _int_param(params, "max_results", 5, 100, default=10)
        token = params.get("pagination_token", [None])[0]
        tweets, more = self.server.state.search(
            author_id=id,
            since_id=_int_param(params, "since_id"),
            until_id=_untoken(token, "pagination_token")
            if token
            else _int_param(params, "until_id"),
            start_time=self._time_param(params, "start_time"),
            limit=limit,
            window=False,
        )
        return 200, self._listing(params, renderer, tweets, more, "next_token")

    def _api_search(self, params, body, account):
        query = params.get("query", [""])[0].strip()
        if not query:
            raise SandboxError(
                400,
                "Invalid Request",
                "One or more parameters to your request was invalid.",
                INVALID,
                errors=[{"message": "The `query` parameter can not be empty"}],
            )
        conversation_id, author_id = None, None
        for term in query.split():
            if m := re.fullmatch(r"conversation_id:(\d+)", term):
                conversation_id = int(m.group(1))
            elif m := re.fullmatch(r"from:(\w{1,15})", term):
                author_id = self.server.state.account(m.group(1)).id
            elif term in {"-is:retweet", "is:reply", "-is:quote"}:
                continue
            else:
                raise SandboxError(
                    400,
                    "Invalid Request",
                    "One or more parameters to your request was invalid.",
                    INVALID,
                    errors=[{"message": f"The sandbox does not support the query term [{term}]"}],
                )
        renderer = Renderer(self.server.state, params)
        limit = _int_param(params, "max_results", 10, 100, default=10)
        token = params.get("next_token", [None])[0]
        tweets, more = self.server.state.search(
            conversation_id=conversation_id,
            author_id=author_id,
            since_id=_int_param(params, "since_id"),
            until_id=_untoken(token, "next_token") if token else _int_param(params, "until_id"),
            start_time=self._time_param(params, "start_time"),
            limit=limit,
        )
        return 200, self._listing(params, renderer, tweets, more, "next_token")

    # The control API -----------------------------------------------------------------------

    def _control(self, method: str, path: str, params) -> None:
        state, runtime = self.server.state, self.server.runtime
        if method == "GET" and path == "/_sandbox/stats":
            with runtime.lock:
                calls = dict(runtime.calls)
            self._send(200, {"calls": calls, "total_calls": sum(calls.values()), **state.counts()})
            return
        if method == "GET" and path == "/_sandbox/tweets":
            if params.get("conversation_id"):
                tweets = state.conversation(int(params["conversation_id"][0]))
            else:
                tweets = state.latest_posts(int(params.get("latest", ["5"])[0]))
            for t in tweets:
                t["id"] = str(t["id"])
                t["conversation_id"] = str(t["conversation_id"])
                if t["in_reply_to_id"]:
                    t["in_reply_to_id"] = str(t["in_reply_to_id"])
            self._send(200, {"data": tweets})
            return
        if method != "POST":
            raise SandboxError(405, "Method Not Allowed", "Use POST for the control API.")
        body = self._body()
        if path == "/_sandbox/replies":
            tweet = state.add_replies([self._reply_spec(body)])[0]
            self._send(201, {"data": {"id": str(tweet["id"]), "text": tweet["text"]}})
        elif path == "/_sandbox/replies/bulk":
            items = body.get("replies", [])
            specs = [self._reply_spec(item) for item in items]
            for position, item in enumerate(items):
                if item.get("in_reply_to_index") is not None:
                    index = self._index(item["in_reply_to_index"], position)
                    specs[position]["in_reply_to"] = ("ref", index)
            tweets = state.add_replies(specs)
            self._send(201, {"created": len(tweets), "ids": [str(t["id"]) for t in tweets]})
        elif path == "/_sandbox/faults":
            kind = str(body.get("kind", ""))
            if kind not in {"429", "500", "503", "hang", "hang_after"}:
                raise SandboxError(400, "Invalid Request", "Unknown fault kind.")
            fault = Fault(
                kind=kind,
                remaining=int(body.get("count", 1)),
                seconds=float(body.get("seconds", 2.0)),
                method=str(body.get("method", "")),
                path=str(body.get("path", "")),
            )
            with runtime.lock:
                runtime.faults.append(fault)
            self._send(201, {"data": {"kind": fault.kind, "count": fault.remaining}})
        elif path == "/_sandbox/limits":
            route = body.get("route")
            if route not in DEFAULT_LIMITS:
                raise SandboxError(400, "Invalid Request", "Unknown route.")
            with runtime.lock:
                runtime.limits[route] = (int(body["limit"]), int(body.get("window", 900)))
                runtime.windows = {k: v for k, v in runtime.windows.items() if k[0] != route}
            self._send(200, {"data": {"route": route}})
        elif path == "/_sandbox/reset":
            state.reset()
            with runtime.lock:
                runtime.faults.clear()
                runtime.windows.clear()
                runtime.calls.clear()
                runtime.limits = dict(DEFAULT_LIMITS)
            self._send(200, {"data": {"reset": True}})
        else:
            raise SandboxError(404, "Not Found", "Unknown control endpoint.")

    @staticmethod
    def _index(value, position: int) -> int:
        try:
            index = int(value)
        except (TypeError, ValueError):
            index = -1
        if not 0 <= index < position:
            raise SandboxError(
                400,
                "Invalid Request",
                f"Reply {position}: in_reply_to_index must name a reply earlier in the list.",
            )
        return index

    @staticmethod
    def _reply_spec(body: dict) -> dict:
        nested = body.get("in_reply_to_index") is not None
        required = ("username", "text") if nested else ("in_reply_to", "username", "text")
        missing = [k for k in required if not body.get(k)]
        if missing:
            raise SandboxError(400, "Invalid Request", f"Missing: {', '.join(missing)}.")
        created_at = body.get("created_at")
        return {
            "in_reply_to": None if nested else int(body["in_reply_to"]),
            "username": str(body["username"])[:15],
            "name": body.get("name"),
            "text": str(body["text"]),
            "created_at": parse_iso(created_at) if created_at else None,
        }
