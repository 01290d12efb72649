import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The resend throttle lives in the cache; start every test without it."""
    cache.clear()
    yield
    cache.clear()
