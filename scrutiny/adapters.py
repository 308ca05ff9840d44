"""Source adapters for the lower apps' models (see sources.py). Each app's adapters are
registered only when that app's models exist."""


def register_all() -> None:
    """Register an adapter for every source model that is installed."""
