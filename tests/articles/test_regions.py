import pytest
from django.core.management import call_command

from articles.models import Region

pytestmark = pytest.mark.django_db


def test_gazetteer_table_has_every_level_with_parents():
    assert Region.objects.filter(level="province").count() == 31
    assert Region.objects.filter(level="city").count() > 300
    assert Region.objects.filter(level="county").count() > 2800
    assert not Region.objects.filter(level__in=["city", "county"], parent__isnull=True).exists()
    county = Region.objects.get(name="镇安县")
    assert [r.code for r in county.ancestors()] == ["611025", "611000", "610000"]
    assert [r.name for r in county.ancestors()] == ["镇安县", "商洛市", "陕西省"]
    assert Region.objects.get(code="611000").short_name == "商洛"
    assert county.short_name == "镇安"


def test_municipality_districts_hang_directly_under_the_municipality():
    district = Region.objects.get(code="110105")
    assert district.parent_id == "110000"


def test_township_resolves_to_its_county(gazetteer):
    [township] = [p for p in gazetteer.lookup("西口回族镇") if p.level == "township"]
    assert gazetteer.county_of(township.code).code == "611025"


def test_load_regions_is_idempotent():
    before = Region.objects.count()
    call_command("load_regions", stdout=open("/dev/null", "w"))
    assert Region.objects.count() == before
