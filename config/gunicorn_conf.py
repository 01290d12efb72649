"""gunicorn settings of the web service (docker-compose.yml) and of the replica test (tests/deploy).

A stopping replica stops listening at once. On SIGTERM gunicorn's master closes its copy of the
listening socket, but each worker keeps its own until it exits, so the kernel goes on queueing new
connections that no worker will accept, and resets them when the last worker is gone: the load
balancer cannot send those requests elsewhere once it has written them (a POST is never replayed).
Here the master first tells its workers to finish (they complete the request they hold and take no
other), then shuts the shared socket down: a new connection is refused, and the balancer retries it
on another replica.
"""

import signal
import socket
from contextlib import suppress


def when_ready(server):
    stop = server.handle_term

    def stop_listening_then_stop():
        server.kill_workers(signal.SIGTERM)
        for listener in server.LISTENERS:
            with suppress(OSError):
                listener.sock.shutdown(socket.SHUT_RD)
        stop()

    server.handle_term = stop_listening_then_stop
