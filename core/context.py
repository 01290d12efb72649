"""Per-request facts that services need but should not take as arguments (client address)."""

from contextvars import ContextVar

client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
