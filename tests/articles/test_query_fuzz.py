"""No query string can make a public page answer 500.

Every filter parameter is checked against its column's type and range before a
query runs (articles.filters.ColumnChoiceField, _is_year, _is_month); what is
not understood is a 400 with a message, everything else a 200. The examples
pin the inputs that once crashed; hypothesis then throws arbitrary query
strings (any key, any value, unicode, NUL, invalid UTF-8, huge numbers,
repeated parameters) at the list, search, landing and API views.
"""

from urllib.parse import quote, quote_from_bytes

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.models import Source

pytestmark = pytest.mark.django_db

FILTER_KEYS = ["region", "theme", "year", "month", "source", "kind", "q", "sort", "page", "script", "lang"]
HUGE = ["99999999999999999999", "-99999999999999999999", "9" * 5000, "1e400", "18446744073709551616", "9223372036854775808"]


@pytest.mark.parametrize(
    "query",
    [
        "source=99999999999999999999",
        "source=-99999999999999999999",
        "source=" + "1" * 5000,
        "year=" + "1" * 5000,
        "month=" + "1" * 5000,
        "region=" + "6" * 300,
        "theme=a%00b",
        "region=%00",
        "q=a%00b",
        "source=9223372036854775808&source=1",
    ],
)
def test_out_of_range_filter_values_are_a_400_with_a_message(client, query):
    response = client.get(f"/articles/?{query}")
    assert response.status_code == 400
    assert response.context["problems"], "the page names the parameter it could not use"


def test_a_source_id_beyond_64_bits_names_the_source_filter(client):
    response = client.get("/articles/?source=99999999999999999999")
    assert response.status_code == 400
    [(name, _label, messages)] = response.context["problems"]
    assert name == "source" and "99999999999999999999" in messages[0]


def test_the_largest_64_bit_source_id_is_simply_unknown(client):
    response = client.get("/articles/?source=9223372036854775807")
    assert response.status_code == 400
    assert "没有编号为 9223372036854775807 的来源" in response.content.decode()


def _api_paths() -> list[str]:
    """Every argument-free route under /api/ (the JSON API, once it exists)."""
    found = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and "<" not in route and "(" not in route:
                found.append("/" + route.lstrip("^").rstrip("$"))

    walk(get_resolver().url_patterns, "")
    return [path for path in found if path.startswith("/api/")]


def _paths() -> list[str]:
    return ["/articles/", "/", "/regions/611000/", "/themes/epidemic/", "/sources/{source}/", *_api_paths()]


def _encode(part) -> str:
    return quote_from_bytes(part) if isinstance(part, bytes) else quote(part, safe="")


text_part = st.text(max_size=40)
key = st.one_of(st.sampled_from(FILTER_KEYS), text_part, st.binary(max_size=12))
value = st.one_of(
    text_part,
    st.sampled_from(HUGE),
    st.integers().map(str),
    st.from_regex(r"[0-9]{1,30}", fullmatch=True),
    st.binary(max_size=20),  # percent-encoded raw bytes: invalid UTF-8 too
    st.sampled_from(["611000", "epidemic", "2022", "10", "unknown", "article", "title", "relevance", "hant", "en"]),
)
# A list of pairs: keys repeat freely (?source=1&source=abc&source=…).
query_string = st.lists(st.tuples(key, value), max_size=8).map(
    lambda pairs: "&".join(f"{_encode(k)}={_encode(v)}" for k, v in pairs)
)


_BASELINE: dict[str, int] = {}


@pytest.mark.parametrize("path", _paths())
@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=query_string)
@example(query="source=99999999999999999999")
@example(query="year=" + "1" * 5000 + "&month=" + "9" * 5000)
@example(query="page=" + "9" * 5000 + "&q=%00&region=%FF%FE")
@example(query="%00=%00&script=%00&lang=%00")
def test_any_query_string_is_answered_200_or_400(client, settings, path, query):
    settings.NEWSROOM_API_RATE = "100000/min"  # the API's rate limit is not what is under test
    if "{source}" in path:
        path = path.format(source=Source.objects.order_by("pk").first().pk)
    # A route with no page of its own (the API's bare prefix) stays a 404 whatever the query.
    if path not in _BASELINE:
        _BASELINE[path] = client.get(path).status_code
    response = client.get(f"{path}?{query}")
    if path.startswith("/api/"):
        # The JSON API has its own 4xx vocabulary (404 for a page past the last one): never a 5xx.
        assert response.status_code < 500, (path, query, response.status_code)
        return
    expected = (200, 400) if _BASELINE[path] != 404 else (404,)
    assert response.status_code in expected, (path, query, response.status_code)
