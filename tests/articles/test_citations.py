"""Citations: GB/T 7714, BibTeX (parsed by bibtexparser), RIS, CSL-JSON and Highwire meta tags."""

import json
import re
from html import unescape

import bibtexparser
import pytest
from django.utils import timezone

from articles.models import Article, Source

pytestmark = pytest.mark.django_db

NEWSPAPER = "商城县召开党建统领基层治理工作推进会"  # 商城时报, page 5
WEBSITE = "陕西渭南: 让党员干部成为疫情防控中的生力军"  # 丝路情韵
NO_SOURCE = "党建引领筑防线"


def article(title: str) -> Article:
    return Article.objects.get(title=title)


def download(client, item: Article, fmt: str):
    response = client.get(f"/a/{item.public_id}/cite.{fmt}")
    assert response.status_code == 200, response.content
    assert response["Content-Disposition"] == f'attachment; filename="{item.public_id}.{fmt}"'
    return response


def parse_ris(text: str) -> list[tuple[str, str]]:
    assert text.endswith("ER  - \r\n")
    fields = []
    for line in text.split("\r\n"):
        if line:
            match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
            assert match, line
            fields.append(match.groups())
    return fields


def test_bibtex_parses_with_the_right_entry_type_and_fields(client):
    paper = article(NEWSPAPER)
    response = download(client, paper, "bib")
    assert response["Content-Type"].startswith("application/x-bibtex")
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "article" and entry.key == f"newsroom-{paper.public_id}"
    fields = {field.key: field.value for field in entry.fields}
    assert fields["title"] == "{" + NEWSPAPER + "}"
    assert fields["journal"] == "商城时报" and fields["year"] == "2022" and fields["pages"] == "5"
    assert fields["date"] == "2022-04-20"
    assert fields["url"] == f"http://testserver{paper.get_absolute_url()}"

    web = article(WEBSITE)
    (entry,) = bibtexparser.parse_string(download(client, web, "bib").content.decode()).entries
    fields = {field.key: field.value for field in entry.fields}
    assert entry.entry_type == "online" and fields["organization"] == "丝路情韵" and "journal" not in fields
    assert fields["author"] == "{张伟}"


def test_bibtex_escapes_special_characters(client):
    item = article(WEBSITE)
    item.title = "100% 的 {努力} & 收获_一"
    item.save()
    library = bibtexparser.parse_string(download(client, item, "bib").content.decode())
    assert not library.failed_blocks and len(library.entries) == 1
    title = library.entries[0].fields_dict["title"].value
    assert r"100\% 的 \{努力\} \& 收获\_一" in title


def test_ris_fields(client):
    paper = article(NEWSPAPER)
    fields = parse_ris(download(client, paper, "ris").content.decode())
    assert fields[0] == ("TY", "NEWS") and fields[-1] == ("ER", "")
    values = dict(fields)
    assert values["TI"] == NEWSPAPER and values["T2"] == "商城时报"
    assert values["PY"] == "2022" and values["DA"] == "2022/04/20/" and values["SP"] == "5"
    assert values["UR"] == f"http://testserver{paper.get_absolute_url()}"
    web = dict(parse_ris(download(client, article(WEBSITE), "ris").content.decode()))
    assert web["TY"] == "ELEC" and web["PB"] == "丝路情韵" and web["AU"] == "张伟" and "T2" not in web


def test_csl_json_keys(client):
    paper = article(NEWSPAPER)
    response = download(client, paper, "json")
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    (item,) = json.loads(response.content)
    assert item["type"] == "article-newspaper" and item["container-title"] == "商城时报"
    assert item["title"] == NEWSPAPER and item["issued"] == {"date-parts": [[2022, 4, 20]]}
    assert item["page"] == "5" and item["URL"].endswith(paper.get_absolute_url())
    assert {"id", "type", "title", "container-title", "URL", "accessed", "language"} <= set(item)
    (web,) = json.loads(download(client, article(WEBSITE), "json").content)
    assert web["type"] == "webpage" and web["author"] == [{"literal": "张伟"}]


def test_unknown_newspaper_is_never_the_portal_as_a_newspaper(client):
    item = article(NO_SOURCE)
    assert item.source_id is None
    (entry,) = bibtexparser.parse_string(download(client, item, "bib").content.decode()).entries
    assert entry.entry_type == "online" and "journal" not in entry.fields_dict
    ris = dict(parse_ris(download(client, item, "ris").content.decode()))
    assert ris["TY"] == "ELEC" and "T2" not in ris
    (csl,) = json.loads(download(client, item, "json").content)
    assert csl["type"] == "webpage"
    gbt = download(client, item, "txt").content.decode()
    assert "[EB/OL]" in gbt and "[N" not in gbt
    html = client.get(item.get_absolute_url()).content.decode()
    assert 'name="citation_journal_title"' not in html


def test_a_website_named_like_a_paper_by_kind_is_a_website(client):
    item = article(NEWSPAPER)
    Source.objects.filter(pk=item.source_id).update(kind=Source.Kind.WEBSITE)
    (csl,) = json.loads(download(client, item, "json").content)
    assert csl["type"] == "webpage" and csl["container-title"] == "商城时报"


def test_highwire_meta_tags_on_the_reading_page(client):
    paper = article(NEWSPAPER)
    html = client.get(paper.get_absolute_url()).content.decode()
    tags = {}
    for name, content in re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', html):
        tags.setdefault(name, []).append(unescape(content))
    assert tags["citation_title"] == [NEWSPAPER]
    assert tags["citation_publication_date"] == ["2022/04/20"]
    assert tags["citation_journal_title"] == ["商城时报"] and tags["citation_firstpage"] == ["5"]
    assert tags["citation_public_url"] == [f"http://testserver{paper.get_absolute_url()}"]
    assert tags.get("citation_author", []) == list(paper.bylines)
    for fmt in ("bib", "ris", "json", "txt"):
        assert f'href="/a/{paper.public_id}/cite.{fmt}"' in html


def test_hidden_404_removed_410_unknown_format_404(client):
    item = article(WEBSITE)
    assert client.get(f"/a/{item.public_id}/cite.pdf").status_code == 404
    item.removed_at = timezone.now()
    item.save()
    assert client.get(f"/a/{item.public_id}/cite.bib").status_code == 410
    other = article(NEWSPAPER)
    other.status = Article.Status.HIDDEN
    other.save()
    assert client.get(f"/a/{other.public_id}/cite.bib").status_code == 404
