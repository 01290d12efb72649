"""Tiny reachability probes used by settings to pick embedded defaults."""

import socket
from urllib.parse import urlparse


def tcp_reachable(host: str, port: int, timeout: float = 0.3) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def url_reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    return tcp_reachable(parsed.hostname or "127.0.0.1", parsed.port or default_port)
