"""Whether this web process is draining: its gunicorn master was told to stop (SIGTERM) and, for
GUNICORN_DRAIN_SECONDS, goes on serving while `/healthz` answers 503, so that a load balancer checking
it takes the replica out of its rotation before it stops listening (config/gunicorn_conf.py)."""

from __future__ import annotations

_state = {"draining": False}


def begin(*_signal) -> None:
    """Start draining (the worker's handler of the master's SIGUSR2)."""
    _state["draining"] = True


def draining() -> bool:
    return _state["draining"]
