"""The site as gunicorn serves it for bench/concurrency.py, plus one bare view to compare against.

The bare view goes through the same middleware (sessions, authentication, locale, OTP) but does no
more than one query and a plain template: `/bench/bare/?rows=N` lists N enterprises, so the
benchmark can ask for a page of the same size as the page it compares it with.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from django.conf import settings  # noqa: E402

# Connections as production keeps them (config/settings/base.py: CONN_MAX_AGE, 60 s by default),
# not one per request as the test settings do: a new PostgreSQL backend loads its catalogue for
# every table it touches, which a page of twenty tables pays many times more than the bare view.
settings.DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("BENCH_CONN_MAX_AGE", "60"))

from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.urls import path  # noqa: E402

import config.urls  # noqa: E402

TEMPLATE = engines["django"].from_string(
    """<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>bare</title></head><body>
<main><h1>Enterprises</h1><table><thead><tr><th>#</th><th>名称</th><th>Name</th><th>Code</th></tr></thead><tbody>
{% for pk, zh, en, code in rows %}<tr><td>{{ pk }}</td><td>{{ zh }}</td><td>{{ en }}</td>
<td><code>{{ code }}</code></td></tr>
{% endfor %}</tbody></table></main></body></html>"""
)


def bare(request):
    """Anyone (benchmark only): one query, one template, no permission logic."""
    from enterprises.models import Enterprise

    n = max(0, min(int(request.GET.get("rows", "50")), 5000))
    rows = list(Enterprise.objects.order_by("pk").values_list("pk", "name_zh", "name_en", "credit_code")[:n])
    return HttpResponse(TEMPLATE.render({"rows": rows}, request))


urlpatterns = [path("bench/bare/", bare), *config.urls.urlpatterns]
settings.ROOT_URLCONF = __name__  # read by the request handler on every request
