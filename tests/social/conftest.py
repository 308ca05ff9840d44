import pytest
import requests

from social.models import Channel
from social.sandbox.server import SandboxServer


class Sandbox:
    """The in-process sandbox plus helpers that drive its control API."""

    def __init__(self, server: SandboxServer):
        self.server = server
        self.url = server.base_url
        self.state = server.state

    def control(self, path: str, payload: dict | None = None):
        response = requests.post(f"{self.url}/_sandbox/{path}", json=payload or {}, timeout=5)
        response.raise_for_status()
        return response.json()

    def reply(self, to, username="resident1", text="Thanks for this", name=None, **extra):
        body = {"in_reply_to": str(to), "username": username, "text": text, **extra}
        if name:
            body["name"] = name
        return self.control("replies", body)["data"]["id"]

    def bulk(self, replies: list[dict]) -> list[str]:
        return self.control("replies/bulk", {"replies": replies})["ids"]

    def fault(self, kind: str, count: int = 1, seconds: float = 2.0, **extra):
        return self.control("faults", {"kind": kind, "count": count, "seconds": seconds, **extra})

    def stats(self) -> dict:
        return requests.get(f"{self.url}/_sandbox/stats", timeout=5).json()

    def conversation(self, tweet_id) -> list[dict]:
        return requests.get(
            f"{self.url}/_sandbox/tweets", params={"conversation_id": tweet_id}, timeout=5
        ).json()["data"]


@pytest.fixture
def sandbox(tmp_path, settings):
    """A real sandbox on 127.0.0.1, port 0, with its own state; X calls go to it."""
    server = SandboxServer(tmp_path / "x-sandbox", port=0).start()
    settings.X_API_BASE_URL = server.base_url
    settings.X_API_TIMEOUT = 1.5
    settings.SOCIAL_BACKOFF_BASE_SECONDS = 1
    settings.SOCIAL_BACKOFF_CAP_SECONDS = 4
    try:
        yield Sandbox(server)
    finally:
        server.stop()


@pytest.fixture
def channel(db):
    return Channel.objects.create(
        name="Harrowfield Borough Council", kind=Channel.Kind.SANDBOX, handle="harrowfieldbc"
    )


@pytest.fixture
def x_credentials():
    return {
        "consumer_key": "ck",
        "consumer_secret": "cs",
        "access_token": "sandbox-harrowfieldbc",
        "access_token_secret": "ts",
        "bearer_token": "bearer",
    }
