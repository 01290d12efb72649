"""gunicorn settings of the web service (docker-compose.yml) and of the replica test (tests/deploy).

A stopping replica first drains, then stops listening at once.

Draining (GUNICORN_DRAIN_SECONDS, 0 by default): on SIGTERM the master tells its workers (SIGUSR2,
`core.draining`) that `/healthz` now answers 503, and for that many seconds they go on serving every
request. A load balancer that checks `/healthz` (the replica test's haproxy: every 500 ms, out after
three failures) takes the replica out of its rotation meanwhile, so nothing is sent to it any more
when it stops listening. Set it a little above the balancer's time to notice.

Stopping: gunicorn's master closes its copy of the listening socket, but each worker keeps its own
until it exits, so the kernel goes on queueing new connections that no worker will accept, and resets
them when the last worker is gone: the load balancer cannot send those requests elsewhere once it has
written them (a POST is never replayed). Here the master first tells its workers to finish (they
complete the request they hold and take no other), then shuts the shared socket down: a new
connection is refused, and the balancer retries it on another replica. A connection the balancer
opened in the moment between the two is still reset; draining first is what leaves none.
"""

import os
import signal
import socket
import time
from contextlib import suppress

DRAIN_SECONDS = float(os.environ.get("GUNICORN_DRAIN_SECONDS", "0") or 0)


def post_worker_init(worker):  # noqa: ARG001 -- gunicorn's hook signature
    from core import draining  # noqa: PLC0415 -- imported in the worker, with the app on its path

    signal.signal(signal.SIGUSR2, draining.begin)
    signal.siginterrupt(signal.SIGUSR2, False)


def when_ready(server):
    stop = server.handle_term

    def drain_then_stop():
        if DRAIN_SECONDS > 0:
            server.log.info("Draining for %.1f s: /healthz answers 503, requests are still served", DRAIN_SECONDS)
            server.kill_workers(signal.SIGUSR2)
            time.sleep(DRAIN_SECONDS)
        server.kill_workers(signal.SIGTERM)
        for listener in server.LISTENERS:
            with suppress(OSError):
                listener.sock.shutdown(socket.SHUT_RD)
        stop()

    server.handle_term = drain_then_stop
