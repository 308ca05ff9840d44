"""X (Twitter) through tweepy's real `Client`, with a transport adapter on its session.

tweepy hard-codes https://api.twitter.com and passes no timeout. `XTransport` is mounted on
that host: it meters every call (budget checks happen before the request leaves), always
sets a timeout, and rewrites the host to X_API_BASE_URL when that is not the real one (the
local sandbox in dev, tests and the demo). Any other host tweepy might call is refused.
"""

import contextlib
import contextvars
import re
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

import requests
import tweepy
from django.conf import settings
from requests.adapters import HTTPAdapter

from .base import (
    ChannelAdapter,
    ChannelError,
    DuplicateContent,
    InboundReply,
    NotFound,
    PermanentError,
    PublishedRef,
    RateLimited,
    TransientError,
)

REAL_X_HOST = "https://api.twitter.com"
TWEET_FIELDS = [
    "author_id",
    "conversation_id",
    "created_at",
    "in_reply_to_user_id",
    "referenced_tweets",
    "lang",
]
USER_FIELDS = ["username", "name"]
PAGE_SIZE = 100
RECONCILE_PAGES = 3

_base_url: contextvars.ContextVar[str | None] = contextvars.ContextVar("x_base_url", default=None)


@contextlib.contextmanager
def use_base_url(url: str):
    """Send X calls made inside the block to `url` (seed_demo's in-process sandbox)."""
    token = _base_url.set(url.rstrip("/"))
    try:
        yield
    finally:
        _base_url.reset(token)


def current_base_url() -> str:
    return (_base_url.get() or settings.X_API_BASE_URL).rstrip("/")


Meter = Callable[[str, str, bytes | None], None]


class XTransport(HTTPAdapter):
    """Meters, times out and (off the real X) re-hosts every request tweepy makes."""

    def __init__(self, base_url: str, timeout: float, meter: Meter | None = None):
        super().__init__(pool_connections=1, pool_maxsize=4, max_retries=0)
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.meter = meter
        self.calls = 0

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        path = urlsplit(request.url).path
        if self.meter is not None:
            # Raises BudgetExceeded before anything is sent.
            self.meter(request.method, path, request.body)
        self.calls += 1
        if self.base_url != REAL_X_HOST and request.url.startswith(REAL_X_HOST):
            request.url = self.base_url + request.url[len(REAL_X_HOST) :]
        return super().send(
            request,
            stream=stream,
            timeout=timeout if timeout is not None else self.timeout,
            verify=verify,
            cert=cert,
            proxies=proxies,
        )


class RefuseOtherHosts(HTTPAdapter):
    def send(self, request, **kwargs):
        raise PermanentError(
            f"tweepy called {urlsplit(request.url).netloc}, not {REAL_X_HOST}: its hard-coded "
            "host has changed, so the X adapter must be updated before anything is sent."
        )


def build_client(
    credentials: dict, *, base_url: str | None = None, timeout: float | None = None, meter=None
) -> tuple[tweepy.Client, XTransport]:
    """tweepy's Client with our transport mounted; never waits on rate limits."""
    client = tweepy.Client(
        bearer_token=credentials.get("bearer_token"),
        consumer_key=credentials.get("consumer_key"),
        consumer_secret=credentials.get("consumer_secret"),
        access_token=credentials.get("access_token"),
        access_token_secret=credentials.get("access_token_secret"),
        wait_on_rate_limit=False,
    )
    transport = XTransport(
        base_url or current_base_url(),
        timeout if timeout is not None else settings.X_API_TIMEOUT,
        meter,
    )
    refuse = RefuseOtherHosts()
    client.session.mount("https://", refuse)
    client.session.mount("http://", refuse)
    client.session.mount(REAL_X_HOST + "/", transport)
    return client, transport


def _message(exc: tweepy.HTTPException) -> str:
    detail = "; ".join(exc.api_messages) if exc.api_messages else ""
    status = exc.response.status_code if exc.response is not None else "?"
    return f"X answered {status}" + (f": {detail}" if detail else "")


@contextlib.contextmanager
def translate_errors():
    """Turn tweepy's and requests' exceptions into our one domain error."""
    try:
        yield
    except ChannelError:
        raise
    except tweepy.TooManyRequests as exc:
        reset = datetime.fromtimestamp(exc.reset_time, UTC) if exc.reset_time else None
        raise RateLimited(_message(exc), reset_at=reset) from exc
    except tweepy.TwitterServerError as exc:
        raise TransientError(_message(exc)) from exc
    except tweepy.Forbidden as exc:
        if any("duplicate content" in m.lower() for m in exc.api_messages):
            raise DuplicateContent(_message(exc)) from exc
        raise PermanentError(_message(exc)) from exc
    except tweepy.NotFound as exc:
        raise NotFound(_message(exc)) from exc
    except tweepy.HTTPException as exc:
        raise PermanentError(_message(exc)) from exc
    except requests.Timeout as exc:
        raise TransientError("X did not answer in time.") from exc
    except requests.RequestException as exc:
        raise TransientError(f"Could not reach X: {exc.__class__.__name__}.") from exc
    except tweepy.TweepyException as exc:
        raise PermanentError(str(exc)) from exc


_URL = re.compile(r"https?://\S+")


def comparable(text: str) -> str:
    """Text as X may give it back: links are rewritten (t.co) and whitespace trimmed."""
    return " ".join(_URL.sub("<link>", text).split())


def _id(value) -> str:
    return str(value) if value is not None else ""


class XAdapter(ChannelAdapter):
    """X API v2 through tweepy."""

    USER_KEYS = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")

    def __init__(
        self,
        *,
        handle: str,
        credentials: dict,
        meter=None,
        base_url=None,
        timeout=None,
        env_names: dict | None = None,
    ):
        self.handle = handle
        self.credentials = credentials
        self.env_names = env_names or {}
        self.client, self.transport = build_client(
            credentials, base_url=base_url, timeout=timeout, meter=meter
        )
        self._me = None

    def _require(self, *keys: str) -> None:
        missing = [self.env_names.get(k, k) for k in keys if not self.credentials.get(k)]
        if missing:
            raise PermanentError(
                "This channel's credentials are not set: set the environment variable"
                f"{'s' if len(missing) > 1 else ''} {', '.join(missing)} on the server."
            )

    @property
    def calls(self) -> int:
        return self.transport.calls

    def status_url(self, tweet_id: str, handle: str | None = None) -> str:
        return f"https://x.com/{handle or self.handle}/status/{tweet_id}"

    def publish(self, text, reply_to=None):
        """Create a post (a reply when `reply_to` is given)."""
        self._require(*self.USER_KEYS)
        with translate_errors():
            response = self.client.create_tweet(
                text=text, in_reply_to_tweet_id=reply_to, user_auth=True
            )
        tweet_id = _id(response.data["id"])
        return PublishedRef(tweet_id, self.status_url(tweet_id))

    def delete(self, ref):
        """Delete our post; one that is already gone counts as deleted."""
        self._require(*self.USER_KEYS)
        with translate_errors():
            try:
                self.client.delete_tweet(ref, user_auth=True)
            except tweepy.NotFound:
                return

    def me(self) -> tweepy.User:
        if self._me is None:
            self._require(*self.USER_KEYS)
            with translate_errors():
                self._me = self.client.get_me(user_auth=True).data
        return self._me

    def find_published(self, text, reply_to, since):
        """Look our own recent posts up for this text (reconciling after a lost answer)."""
        me = self.me()
        wanted = comparable(text)
        paginator = tweepy.Paginator(
            self.client.get_users_tweets,
            me.id,
            user_auth=True,
            start_time=since or None,
            max_results=PAGE_SIZE,
            tweet_fields=["created_at", "referenced_tweets"],
        )
        with translate_errors():
            for page in paginator.flatten(limit=PAGE_SIZE * RECONCILE_PAGES):
                if comparable(page.text) != wanted:
                    continue
                parents = [r.id for r in (page.referenced_tweets or []) if r.type == "replied_to"]
                if reply_to and _id(reply_to) not in {_id(p) for p in parents}:
                    continue
                tweet_id = _id(page.id)
                return PublishedRef(tweet_id, self.status_url(tweet_id, me.username))
        return None

    def _inbound(self, tweet: tweepy.Tweet, users: dict) -> InboundReply:
        author = users.get(_id(tweet.author_id))
        replied_to = [r.id for r in (tweet.referenced_tweets or []) if r.type == "replied_to"]
        return InboundReply(
            external_id=_id(tweet.id),
            conversation_id=_id(tweet.conversation_id),
            in_reply_to_id=_id(replied_to[0]) if replied_to else "",
            author_id=_id(tweet.author_id),
            author_handle=author.username if author else "",
            author_name=author.name if author else "",
            text=tweet.text,
            created_at=tweet.created_at,
            raw={"tweet": tweet.data, "author": author.data if author else None},
        )

    def fetch_replies(self, root, cursor):
        """Every reply in the conversation newer than `cursor` (a since_id), newest first."""
        self._require("bearer_token")
        paginator = tweepy.Paginator(
            self.client.search_recent_tweets,
            f"conversation_id:{root}",
            since_id=cursor or None,
            max_results=PAGE_SIZE,
            tweet_fields=TWEET_FIELDS,
            expansions=["author_id"],
            user_fields=USER_FIELDS,
        )
        replies: list[InboundReply] = []
        newest = None
        try:
            with translate_errors():
                for response in paginator:
                    if newest is None:
                        newest = (response.meta or {}).get("newest_id") or ""
                    users = {_id(u.id): u for u in (response.includes or {}).get("users", [])}
                    replies.extend(self._inbound(t, users) for t in response.data or [])
        except ChannelError as exc:
            exc.partial = replies
            raise
        return replies, (newest or cursor or None)

    def fetch_one(self, external_id):
        """One post with the same fields as a pull (import by URL).

        Import by URL is for accounts without search access, which often have no bearer token:
        without one, the post is read with the account's own (OAuth 1.0a) keys, which X's
        `GET /2/tweets/:id` accepts as well."""
        user_auth = not self.credentials.get("bearer_token")
        if user_auth:
            self._require(*self.USER_KEYS)
        with translate_errors():
            response = self.client.get_tweet(
                external_id,
                tweet_fields=TWEET_FIELDS,
                expansions=["author_id"],
                user_fields=USER_FIELDS,
                user_auth=user_auth,
            )
        if response.data is None:
            detail = "; ".join(e.get("detail", "") for e in response.errors or [])
            raise NotFound(detail or f"X has no post {external_id}.")
        users = {_id(u.id): u for u in (response.includes or {}).get("users", [])}
        return self._inbound(response.data, users)
