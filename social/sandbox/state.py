"""The sandbox's persistent state: accounts and tweets in one SQLite file.

Every process (the server, the simulator, seed_demo, the benchmark) goes through this layer,
so they can share one state directory safely: writes take SQLite's write lock up front.
"""

import hashlib
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Snowflake-sized ids, so ids look and sort like X's and overflow nothing that handles X's.
FIRST_ID = 1_940_000_000_000_000_000
ID_STEP = 4096
SEARCH_WINDOW = timedelta(days=7)

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    access_token TEXT UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tweets (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES accounts(id),
    conversation_id INTEGER NOT NULL,
    in_reply_to_id INTEGER,
    in_reply_to_user_id TEXT,
    created_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS tweets_conversation ON tweets (conversation_id, id);
CREATE INDEX IF NOT EXISTS tweets_author ON tweets (author_id, id);
"""


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime) -> str:
    """X's timestamp format: UTC with milliseconds and a Z."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


class SandboxError(Exception):
    """A request the sandbox refuses; `status`, `title` and `detail` become X's error body."""

    def __init__(self, status: int, title: str, detail: str, type_: str = "about:blank", **extra):
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.type = type_
        self.extra = extra


@dataclass
class Account:
    id: str
    username: str
    name: str


class SandboxState:
    """Accounts and tweets, shared by every thread of the server (one connection, one lock)."""

    def __init__(self, directory: Path | str):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / "sandbox.sqlite3"
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            self.path, timeout=30, check_same_thread=False, isolation_level=None
        )
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # Transactions -------------------------------------------------------------------------

    def _write(self, fn):
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                result = fn(self._db)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            return result

    def _read(self, sql: str, params=()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # Accounts -----------------------------------------------------------------------------

    @staticmethod
    def _account_id(username: str) -> str:
        digest = hashlib.sha256(username.lower().encode()).hexdigest()
        return str(10_000_000 + int(digest[:12], 16) % 9_000_000_000_000)

    def _ensure_account(self, db, username: str, name: str, access_token=None) -> Account:
        row = db.execute("SELECT * FROM accounts WHERE username = ?", (username,)).fetchone()
        if row is None:
            account_id = self._account_id(username)
            db.execute(
                "INSERT INTO accounts (id, username, name, access_token, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (account_id, username, name, access_token, iso(utcnow())),
            )
            return Account(account_id, username, name)
        if access_token and row["access_token"] != access_token:
            db.execute(
                "UPDATE accounts SET access_token = ? WHERE id = ?", (access_token, row["id"])
            )
        return Account(row["id"], row["username"], row["name"])

    def account(self, username: str, name: str | None = None) -> Account:
        """The account with this username, created on first use."""
        return self._write(lambda db: self._ensure_account(db, username, name or username))

    def account_for_token(self, access_token: str) -> Account:
        """The account an OAuth access token signs in as.

        Tokens of the form `<anything>-<username>` name their account, so a channel's handle
        decides who it posts as; any other token gets an account derived from it.
        """
        row = self._read("SELECT * FROM accounts WHERE access_token = ?", (access_token,))
        if row:
            return Account(row[0]["id"], row[0]["username"], row[0]["name"])
        if "-" in access_token:
            username = access_token.rsplit("-", 1)[1][:15] or "sandbox"
        else:
            username = "user" + hashlib.sha256(access_token.encode()).hexdigest()[:8]
        return self._write(lambda db: self._ensure_account(db, username, username, access_token))

    def accounts_by_id(self, ids) -> dict[str, Account]:
        ids = list(set(ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._read(f"SELECT * FROM accounts WHERE id IN ({marks})", ids)  # noqa: S608  # nosec B608
        return {r["id"]: Account(r["id"], r["username"], r["name"]) for r in rows}

    # Tweets -------------------------------------------------------------------------------

    @staticmethod
    def _next_id(db) -> int:
        (top,) = db.execute("SELECT MAX(id) FROM tweets").fetchone()
        return (top or FIRST_ID - ID_STEP) + ID_STEP

    def _insert(self, db, author: Account, text: str, in_reply_to=None, created_at=None) -> dict:
        conversation_id = None
        reply_user = None
        if in_reply_to is not None:
            parent = db.execute(
                "SELECT * FROM tweets WHERE id = ? AND deleted = 0", (int(in_reply_to),)
            ).fetchone()
            if parent is None:
                raise SandboxError(
                    403,
                    "Forbidden",
                    "You attempted to reply to a Tweet that is deleted or not visible to you.",
                )
            conversation_id = parent["conversation_id"]
            reply_user = parent["author_id"]
        tweet_id = self._next_id(db)
        created = iso(created_at or utcnow())
        db.execute(
            "INSERT INTO tweets (id, text, author_id, conversation_id, in_reply_to_id,"
            " in_reply_to_user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                tweet_id,
                text,
                author.id,
                conversation_id or tweet_id,
                int(in_reply_to) if in_reply_to is not None else None,
                reply_user,
                created,
            ),
        )
        return self._row_dict(
            db.execute("SELECT * FROM tweets WHERE id = ?", (tweet_id,)).fetchone()
        )

    def create_tweet(self, author: Account, text: str, in_reply_to=None) -> dict:
        """Post as `author`; X refuses the same text twice from one account."""

        def go(db):
            duplicate = db.execute(
                "SELECT 1 FROM tweets WHERE author_id = ? AND text = ? AND deleted = 0",
                (author.id, text),
            ).fetchone()
            if duplicate:
                raise SandboxError(
                    403,
                    "Forbidden",
                    "You are not allowed to create a Tweet with duplicate content.",
                )
            return self._insert(db, author, text, in_reply_to)

        return self._write(go)

    def add_reply(self, in_reply_to, username: str, text: str, name=None, created_at=None) -> dict:
        """A resident's reply (the control API and the simulator use this)."""
        return self.add_replies(
            [
                {
                    "in_reply_to": in_reply_to,
                    "username": username,
                    "name": name,
                    "text": text,
                    "created_at": created_at,
                }
            ]
        )[0]

    def add_replies(self, replies: list[dict]) -> list[dict]:
        """Many replies in one transaction; each may reply to one added earlier in the list,
        named by `("ref", index)` as its `in_reply_to` (its id is not known until then)."""

        def go(db):
            accounts = {}
            created = []
            for position, item in enumerate(replies):
                target = item["in_reply_to"]
                if isinstance(target, (tuple, list)):
                    index = int(target[1])
                    if not 0 <= index < position:
                        raise SandboxError(
                            400,
                            "Invalid Request",
                            f"Reply {position} can only answer a reply earlier in the list.",
                        )
                    target = created[index]["id"]
                username = item["username"]
                if username not in accounts:
                    accounts[username] = self._ensure_account(
                        db, username, item.get("name") or username
                    )
                when = item.get("created_at")
                if isinstance(when, str):
                    when = parse_iso(when)
                created.append(self._insert(db, accounts[username], item["text"], target, when))
            return created

        return self._write(go)

    def delete_tweet(self, author: Account, tweet_id: int) -> bool:
        def go(db):
            row = db.execute(
                "SELECT * FROM tweets WHERE id = ? AND deleted = 0", (tweet_id,)
            ).fetchone()
            if row is None:
                raise SandboxError(
                    404,
                    "Not Found Error",
                    f"Could not find tweet with id: [{tweet_id}].",
                    "https://api.twitter.com/2/problems/resource-not-found",
                )
            if row["author_id"] != author.id:
                raise SandboxError(403, "Forbidden", "You are not allowed to delete this Tweet.")
            db.execute("UPDATE tweets SET deleted = 1 WHERE id = ?", (tweet_id,))
            return True

        return self._write(go)

    def get_tweet(self, tweet_id: int) -> dict | None:
        rows = self._read("SELECT * FROM tweets WHERE id = ? AND deleted = 0", (tweet_id,))
        return self._row_dict(rows[0]) if rows else None

    def search(
        self,
        *,
        conversation_id: int | None = None,
        author_id: str | None = None,
        since_id: int | None = None,
        until_id: int | None = None,
        start_time: datetime | None = None,
        limit: int = 10,
        window: bool = True,
    ) -> tuple[list[dict], bool]:
        """Tweets newest first below `until_id`; returns (tweets, whether more remain)."""
        where, params = ["deleted = 0"], []
        if conversation_id is not None:
            where.append("conversation_id = ?")
            params.append(conversation_id)
        if author_id is not None:
            where.append("author_id = ?")
            params.append(author_id)
        if since_id is not None:
            where.append("id > ?")
            params.append(since_id)
        if until_id is not None:
            where.append("id < ?")
            params.append(until_id)
        floor = start_time
        if window:
            oldest = utcnow() - SEARCH_WINDOW
            floor = max(floor, oldest) if floor else oldest
        if floor is not None:
            where.append("created_at >= ?")
            params.append(iso(floor))
        sql = (
            "SELECT * FROM tweets WHERE "  # noqa: S608 - only fixed fragments are joined  # nosec B608
            + " AND ".join(where)
            + " ORDER BY id DESC LIMIT ?"
        )
        rows = self._read(sql, [*params, limit + 1])
        return [self._row_dict(r) for r in rows[:limit]], len(rows) > limit

    def latest_posts(self, limit: int = 5, exclude_usernames=()) -> list[dict]:
        """The newest conversation starters, for the simulator."""
        rows = self._read(
            "SELECT t.* FROM tweets t JOIN accounts a ON a.id = t.author_id"
            " WHERE t.deleted = 0 AND t.in_reply_to_id IS NULL ORDER BY t.id DESC LIMIT ?",
            (limit + len(exclude_usernames) * 20,),
        )
        accounts = self.accounts_by_id([r["author_id"] for r in rows])
        skip = {u.lower() for u in exclude_usernames}
        return [
            self._row_dict(r) for r in rows if accounts[r["author_id"]].username.lower() not in skip
        ][:limit]

    def conversation(self, conversation_id: int) -> list[dict]:
        rows = self._read(
            "SELECT * FROM tweets WHERE conversation_id = ? AND deleted = 0 ORDER BY id",
            (conversation_id,),
        )
        return [self._row_dict(r) for r in rows]

    def counts(self) -> dict:
        (tweets,) = self._read("SELECT COUNT(*) FROM tweets WHERE deleted = 0")[0]
        (accounts,) = self._read("SELECT COUNT(*) FROM accounts")[0]
        return {"tweets": tweets, "accounts": accounts}

    def reset(self) -> None:
        self._write(
            lambda db: (db.execute("DELETE FROM tweets"), db.execute("DELETE FROM accounts"))
        )

    @staticmethod
    def _row_dict(row) -> dict:
        return {
            "id": row["id"],
            "text": row["text"],
            "author_id": row["author_id"],
            "conversation_id": row["conversation_id"],
            "in_reply_to_id": row["in_reply_to_id"],
            "in_reply_to_user_id": row["in_reply_to_user_id"],
            "created_at": row["created_at"],
        }
