"""The JSON API (/api/) through the test client, and schemathesis over its OpenAPI schema."""

import pytest
from django.utils import timezone

from articles.models import Article, Source

pytestmark = pytest.mark.django_db

QUERIES = [
    "",
    "region=611000",
    "region=611000&theme=epidemic",
    "region=610000&region=140000&kind=article",
    "year=2022&month=4",
    "year=unknown",
    "q=疫情",
    "q=疫情&region=610000&sort=title",
    "source={source}",
]


def walk(options, key="value", depth=3):
    for option in options:
        yield option[key], option["count"]
        if depth > 1:
            yield from walk(option.get("children", []), key, depth - 1)


def page_facets(response) -> dict[str, dict[str, int]]:
    facets = response.context["facets"]

    def flat(options):
        for option in options:
            yield option.value, option.count
            yield from flat(option.children)

    # The page shows the chosen years' months as their own facet, not under each year.
    return {name: dict(flat(getattr(facets, name))) for name in ("regions", "themes", "years", "months", "sources", "kinds")}


@pytest.mark.parametrize("query", QUERIES)
def test_articles_equal_the_list_page_for_the_same_query(client, query):
    source = Source.objects.filter(articles__isnull=False).first()
    query = query.format(source=source.pk)
    page = client.get(f"/articles/?{query}")
    api = client.get(f"/api/articles/?{query}")
    assert api.status_code == 200 and page.status_code == 200
    data = api.json()
    assert data["count"] == page.context["page_obj"].paginator.count
    assert [row["id"] for row in data["results"]] == [a.public_id for a in page.context["results"]]
    assert data["sort"] == page.context["filter"].current_sort
    expected = page_facets(page)
    for name, options in data["facets"].items():
        assert dict(walk(options, depth=1 if name == "years" else 3)) == expected[name], name


def test_pagination_follows_the_list_page(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 4
    first = client.get("/api/articles/?region=610000").json()
    assert first["pages"] == -(-first["count"] // 4) and first["previous"] is None
    second = client.get(first["next"].replace("http://testserver", "")).json()
    assert second["page"] == 2 and "region=610000" in second["previous"]
    listed = client.get("/articles/?region=610000&page=2").context["results"]
    assert [row["id"] for row in second["results"]] == [a.public_id for a in listed]
    last = client.get(f"/api/articles/?region=610000&page={first['pages'] + 1}")
    assert last.status_code == 404


def test_result_rows_carry_what_the_list_shows(client):
    data = client.get("/api/articles/?region=611000&theme=epidemic").json()
    row = data["results"][0]
    article = Article.objects.get(public_id=row["id"])
    assert row["url"] == f"http://testserver{article.get_absolute_url()}"
    assert row["title"] == article.display_title
    assert [r["code"] for r in row["regions"]][:2] == ["610000", "611000"]
    assert "epidemic" in [t["slug"] for t in row["themes"]]
    assert row["excerpt"]


@pytest.mark.parametrize(
    "query",
    ["region=999999", "region=abc", "month=13", "year=99999", "kind=video", "sort=random", "source=x",
     "page=0", "page=abc", "q=" + "长" * 300],
)
def test_bad_parameters_answer_400_naming_them(client, query):
    response = client.get(f"/api/articles/?{query}")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] and body["problems"][0]["param"] == query.split("=")[0]


def test_article_detail_404_and_410(client):
    article = Article.objects.public().exclude(body="").first()
    response = client.get(f"/api/articles/{article.public_id}/")
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == article.public_id and data["body"] == article.body
    assert set(data["citations"]) == {"gbt7714", "bibtex", "ris", "csl_json"}
    assert client.get("/api/articles/zzzzzzzzzz/").status_code == 404
    assert client.get("/api/articles/NOT-AN-ID/").status_code == 400
    article.removed_at = timezone.now()
    article.save()
    assert client.get(f"/api/articles/{article.public_id}/").status_code == 410
    hidden = Article.objects.public().first()
    hidden.status = Article.Status.HIDDEN
    hidden.save()
    assert client.get(f"/api/articles/{hidden.public_id}/").status_code == 404
    assert hidden.public_id not in {row["id"] for row in client.get("/api/articles/").json()["results"]}


def test_an_edit_shows_in_the_api_at_once(client):
    client.get("/api/articles/?region=611000")  # fills the caches
    article = Article.objects.public().filter(city_id="611000").first()
    article.title = "编辑改过的标题"
    article.save()
    before = client.get("/api/articles/?region=611000").json()["count"]
    Article.objects.filter(pk=article.pk).set_status(Article.Status.HIDDEN)
    after = client.get("/api/articles/?region=611000").json()
    assert after["count"] == before - 1
    assert dict(walk(after["facets"]["regions"]))["611000"] == before - 1


def test_regions_themes_sources(client):
    regions = client.get("/api/regions/").json()
    counts = dict(walk(regions, "code"))
    assert counts["611000"] == client.get("/api/articles/?region=611000").json()["count"]
    shaanxi = next(r for r in regions if r["code"] == "610000")
    assert shaanxi["level"] == "province" and any(c["code"] == "611000" for c in shaanxi["children"])
    themes = {t["slug"]: t["count"] for t in client.get("/api/themes/").json()}
    assert themes["epidemic"] == client.get("/api/articles/?theme=epidemic").json()["count"]
    sources = client.get("/api/sources/").json()
    assert sources and all(s["count"] == client.get(f"/api/articles/?source={s['id']}").json()["count"] for s in sources)


def test_cors_for_reads(client):
    response = client.get("/api/themes/", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/articles/", HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 204 and "GET" in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get("/articles/")


def test_rate_limit_answers_429(client, settings):
    settings.NEWSROOM_API_RATE = "3/min"
    statuses = [client.get("/api/themes/").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_openapi_schema_describes_every_endpoint(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/articles/", "/api/articles/{article_id}/", "/api/regions/", "/api/themes/", "/api/sources/"} <= set(
        schema["paths"]
    )
    params = {p["name"] for p in schema["paths"]["/api/articles/"]["get"]["parameters"]}
    assert {"region", "theme", "year", "month", "source", "kind", "q", "sort", "page"} <= params


# --- schemathesis ---------------------------------------------------------------------------

# Modest on purpose: enough to exercise every parameter's edges, quick enough for `make test`.
SCHEMATHESIS_EXAMPLES = 25


def test_schemathesis_finds_no_server_error_and_no_schema_violation(settings):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from newsroom.wsgi import application

    settings.NEWSROOM_API_RATE = "100000/min"
    # Straight WSGI calls would close the test's database connection after each
    # request, as a server does; the test client keeps it, and so must this test.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        _exercise_every_operation(application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _exercise_every_operation(application) -> None:
    import hypothesis
    import schemathesis
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 5
    for operation in operations:

        @hypothesis.settings(
            max_examples=SCHEMATHESIS_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
        @hypothesis.given(case=operation.as_strategy())
        def exercise(case):
            # A well-formed but unknown value (region=999999) is a 400 by design, which
            # schemathesis' positive-data heuristic would call a rejected valid request.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        exercise()
