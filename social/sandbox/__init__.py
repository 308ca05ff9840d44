"""A local stand-in for the X API v2: a real HTTP server with X's shapes, codes and headers.

`state.py` keeps the tweets in SQLite under SANDBOX_STATE_DIR (so they survive restarts and
several processes can share them); `server.py` serves the API and a small control API.
"""
