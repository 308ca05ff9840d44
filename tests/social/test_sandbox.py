"""Sandbox fidelity, through tweepy's real Client (its HTTP stack, parsing and errors)."""

import inspect
from datetime import UTC, datetime, timedelta

import pytest
import requests
import tweepy

from social.adapters import x as xadapter
from social.adapters.x import REAL_X_HOST, build_client


def client(sandbox, creds, **kw):
    c, _ = build_client(creds, base_url=sandbox.url, timeout=2, **kw)
    return c


def test_tweepy_still_hard_codes_the_host_our_transport_is_mounted_on():
    # If a tweepy upgrade changes its host, our adapter would no longer see its requests.
    source = inspect.getsource(tweepy.client.BaseClient.request)
    assert f'host = "{REAL_X_HOST}"' in source


def test_every_request_goes_through_the_transport_with_a_timeout(sandbox, x_credentials):
    seen = []

    class Recording(xadapter.XTransport):
        def send(self, request, **kwargs):
            seen.append(request.url)
            response = super().send(request, **kwargs)
            seen.append(("timeout", kwargs.get("timeout")))
            return response

    c, _ = build_client(x_credentials, base_url=sandbox.url, timeout=2)
    transport = Recording(sandbox.url, 2)
    c.session.mount(REAL_X_HOST + "/", transport)
    c.get_me(user_auth=True)
    assert seen[0].startswith(REAL_X_HOST + "/2/users/me")
    assert transport.calls == 1
    # tweepy passes no timeout; the transport supplies its own.
    assert seen[1] == ("timeout", None)


def test_requests_to_any_other_host_are_refused(x_credentials):
    from social.adapters import PermanentError

    c, _ = build_client(x_credentials, base_url="http://127.0.0.1:9", timeout=1)
    with pytest.raises(PermanentError, match="hard-coded host"):
        c.session.get("https://example.org/")


def test_post_reply_get_and_delete_shapes(sandbox, x_credentials):
    c = client(sandbox, x_credentials)
    created = c.create_tweet(text="Bin collections change next week", user_auth=True)
    tweet_id = created.data["id"]
    assert created.data["text"] == "Bin collections change next week"
    assert created.data["edit_history_tweet_ids"] == [tweet_id]

    reply = c.create_tweet(text="Thread part 2", in_reply_to_tweet_id=tweet_id, user_auth=True)
    fetched = c.get_tweet(
        reply.data["id"],
        tweet_fields=["conversation_id", "created_at", "referenced_tweets", "author_id"],
        expansions=["author_id"],
        user_fields=["username", "name"],
    )
    assert str(fetched.data.conversation_id) == tweet_id
    assert fetched.data.referenced_tweets[0].type == "replied_to"
    assert isinstance(fetched.data.created_at, datetime)
    assert fetched.includes["users"][0].username == "harrowfieldbc"

    me = c.get_me(user_auth=True)
    assert me.data.username == "harrowfieldbc"

    assert c.delete_tweet(tweet_id, user_auth=True).data == {"deleted": True}
    with pytest.raises(tweepy.NotFound):
        c.delete_tweet(tweet_id, user_auth=True)


def test_fields_appear_only_when_requested(sandbox, x_credentials):
    c = client(sandbox, x_credentials)
    root = c.create_tweet(text="Fields", user_auth=True).data["id"]
    sandbox.reply(root, "alice", "hello")
    bare = c.search_recent_tweets(f"conversation_id:{root}")
    assert set(bare.data[0].data) == {"id", "text", "edit_history_tweet_ids"}
    assert bare.includes == {}
    rich = c.search_recent_tweets(
        f"conversation_id:{root}",
        tweet_fields=["author_id", "created_at"],
        expansions=["author_id"],
        user_fields=["username"],
    )
    assert "author_id" in rich.data[0].data
    assert {u.username for u in rich.includes["users"]} >= {"alice"}


def test_search_paginates_with_next_token_and_since_id(sandbox, x_credentials):
    c = client(sandbox, x_credentials)
    root = c.create_tweet(text="Pagination", user_auth=True).data["id"]
    ids = sandbox.bulk(
        [{"in_reply_to": root, "username": f"r{i}", "text": f"reply {i}"} for i in range(25)]
    )
    pages = list(
        tweepy.Paginator(c.search_recent_tweets, f"conversation_id:{root}", max_results=10)
    )
    assert [p.meta["result_count"] for p in pages] == [10, 10, 6]  # 25 replies and the root
    assert "next_token" not in pages[-1].meta
    seen = [str(t.id) for p in pages for t in p.data]
    assert len(seen) == len(set(seen)) == 26
    assert seen == sorted(seen, key=int, reverse=True)
    newest = pages[0].meta["newest_id"]
    assert newest == ids[-1]
    again = c.search_recent_tweets(f"conversation_id:{root}", since_id=newest, max_results=10)
    # Nothing new: no `data` key at all, only the count.
    assert again.data is None
    assert again.meta == {"result_count": 0}


def test_empty_result_has_no_data_key_on_the_wire(sandbox):
    response = requests.get(
        f"{sandbox.url}/2/tweets/search/recent",
        params={"query": "conversation_id:1"},
        headers={"Authorization": "Bearer abc"},
        timeout=5,
    )
    assert response.status_code == 200
    assert response.json() == {"meta": {"result_count": 0}}
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    for header in ("x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"):
        assert header in response.headers


def test_search_only_covers_seven_days(sandbox, x_credentials):
    c = client(sandbox, x_credentials)
    root = c.create_tweet(text="Old", user_auth=True).data["id"]
    old = (datetime.now(UTC) - timedelta(days=8)).isoformat()
    sandbox.reply(root, "bob", "an old reply", created_at=old)
    sandbox.reply(root, "bob", "a new reply")
    texts = [t.text for t in c.search_recent_tweets(f"conversation_id:{root}").data]
    assert "a new reply" in texts and "an old reply" not in texts


def test_auth_is_required(sandbox, x_credentials):
    bearer_only = client(sandbox, {"bearer_token": "b"})
    # Posting needs OAuth 1.0a user context: a bearer token is not enough.
    with pytest.raises(tweepy.Unauthorized):
        bearer_only.create_tweet(text="no keys", user_auth=False)
    with pytest.raises(tweepy.Unauthorized):
        bearer_only.get_me(user_auth=False)
    no_bearer = client(sandbox, {**x_credentials, "bearer_token": None})
    with pytest.raises(tweepy.Unauthorized):
        no_bearer.search_recent_tweets("conversation_id:1")
    raw = requests.post(f"{sandbox.url}/2/tweets", json={"text": "x"}, timeout=5)
    assert raw.status_code == 401
    assert raw.json() == {
        "title": "Unauthorized",
        "type": "about:blank",
        "status": 401,
        "detail": "Unauthorized",
    }


def test_duplicate_content_is_refused_with_xs_403(sandbox, x_credentials):
    c = client(sandbox, x_credentials)
    c.create_tweet(text="Same words", user_auth=True)
    with pytest.raises(tweepy.Forbidden) as info:
        c.create_tweet(text="Same words", user_auth=True)
    assert info.value.api_messages == [
        "You are not allowed to create a Tweet with duplicate content."
    ]


def test_bad_requests_and_missing_tweets(sandbox, x_credentials):
    c = client(sandbox, x_credentials)
    with pytest.raises(tweepy.BadRequest):
        c.search_recent_tweets("conversation_id:1", max_results=500)
    with pytest.raises(tweepy.BadRequest):
        c.search_recent_tweets("conversation_id:1", next_token="not-a-token!")
    with pytest.raises(tweepy.BadRequest):
        c.get_tweet(1, tweet_fields=["nonsense"])
    missing = c.get_tweet(123)
    assert missing.data is None
    assert missing.errors[0]["title"] == "Not Found Error"


def test_injected_faults_429_500_and_hang(sandbox, x_credentials):
    c = client(sandbox, x_credentials)
    sandbox.fault("429", count=1, seconds=30)
    with pytest.raises(tweepy.TooManyRequests) as info:
        c.get_me(user_auth=True)
    assert info.value.reset_time >= int(datetime.now(UTC).timestamp()) + 25
    sandbox.fault("500", count=2)
    for _ in range(2):
        with pytest.raises(tweepy.TwitterServerError):
            c.get_me(user_auth=True)
    assert c.get_me(user_auth=True).data.username == "harrowfieldbc"
    sandbox.fault("hang", count=1, seconds=1.5)
    fast, _ = build_client(x_credentials, base_url=sandbox.url, timeout=0.3)
    with pytest.raises(requests.Timeout):
        fast.get_me(user_auth=True)


def test_rate_limit_window_answers_429_with_headers(sandbox, x_credentials):
    sandbox.control("limits", {"route": "me", "limit": 2, "window": 60})
    c = client(sandbox, x_credentials)
    c.get_me(user_auth=True)
    c.get_me(user_auth=True)
    with pytest.raises(tweepy.TooManyRequests) as info:
        c.get_me(user_auth=True)
    assert info.value.response.headers["x-rate-limit-remaining"] == "0"
    assert info.value.response.json()["title"] == "Too Many Requests"


def test_state_survives_a_restart(tmp_path, x_credentials):
    from social.sandbox.server import SandboxServer

    with SandboxServer(tmp_path / "state") as first:
        tweet_id = client(first_sandbox := type("S", (), {"url": first.base_url}), x_credentials)
        tweet_id = tweet_id.create_tweet(text="Kept", user_auth=True).data["id"]
    with SandboxServer(tmp_path / "state") as second:
        c = client(type("S", (), {"url": second.base_url}), x_credentials)
        assert c.get_tweet(tweet_id).data.text == "Kept"
    assert first_sandbox


def test_control_api_nested_replies_and_reset(sandbox, x_credentials):
    c = client(sandbox, x_credentials)
    root = c.create_tweet(text="Nested", user_auth=True).data["id"]
    first = sandbox.reply(root, "carol", "top level")
    nested = sandbox.reply(first, "dave", "replying to carol")
    convo = sandbox.conversation(root)
    by_id = {t["id"]: t for t in convo}
    assert by_id[nested]["in_reply_to_id"] == first
    assert by_id[nested]["conversation_id"] == root
    sandbox.control("reset")
    assert sandbox.stats()["tweets"] == 0


def test_bulk_replies_can_answer_earlier_ones_in_the_same_batch(sandbox, x_credentials):
    c = client(sandbox, x_credentials)
    root = c.create_tweet(text="Bulk nested", user_auth=True).data["id"]
    ids = sandbox.bulk(
        [
            {"in_reply_to": root, "username": "carol", "text": "Top level"},
            {"in_reply_to_index": 0, "username": "dave", "text": "Replying to Carol"},
            {"in_reply_to_index": 1, "username": "carol", "text": "Replying to Dave"},
            {"in_reply_to": root, "username": "erin", "text": "Another top level"},
        ]
    )
    by_id = {t["id"]: t for t in sandbox.conversation(root)}
    assert by_id[ids[0]]["in_reply_to_id"] == root
    assert by_id[ids[1]]["in_reply_to_id"] == ids[0]
    assert by_id[ids[2]]["in_reply_to_id"] == ids[1]
    assert by_id[ids[3]]["in_reply_to_id"] == root
    assert all(by_id[i]["conversation_id"] == root for i in ids)


@pytest.mark.parametrize("index", [0, 5, -1, "x"])
def test_bulk_refuses_a_reply_to_a_later_or_unknown_position_and_stores_nothing(
    sandbox, x_credentials, index
):
    c = client(sandbox, x_credentials)
    root = c.create_tweet(text="Bulk refused", user_auth=True).data["id"]
    response = requests.post(
        f"{sandbox.url}/_sandbox/replies/bulk",
        json={
            "replies": [
                {"in_reply_to": root, "username": "carol", "text": "Top level"},
                {"in_reply_to_index": 1 if index == 0 else index, "username": "d", "text": "?"},
            ]
        },
        timeout=5,
    )
    assert response.status_code == 400
    assert "earlier in the list" in response.json()["detail"]
    assert [t["id"] for t in sandbox.conversation(root)] == [root]


def test_the_simulator_adds_nested_replies_in_one_batch(tmp_path):
    import random

    from social.sandbox.residents import add_planned, plan_replies
    from social.sandbox.state import SandboxState

    state = SandboxState(tmp_path / "sim")
    try:
        council = state.account("harrowfieldbc", "Harrowfield Borough Council")
        root = str(state.create_tweet(council, "Tell us about the new bus lanes")["id"])
        planned = plan_replies(random.Random(3), [root], 30)
        assert any(isinstance(p["in_reply_to"], tuple) for p in planned)
        created = add_planned(state, planned)
        assert len(created) == 30
        ids = {str(t["id"]) for t in created}
        nested = [t for t in created if str(t["in_reply_to_id"]) != root]
        assert nested and all(str(t["in_reply_to_id"]) in ids for t in nested)
        assert all(str(t["conversation_id"]) == root for t in created)
    finally:
        state.close()
