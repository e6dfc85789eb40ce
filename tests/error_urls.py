"""The project's URLs plus one view that fails, for the 500 page tests."""

from django.urls import path

from newsroom.urls import urlpatterns as project_urlpatterns


def fail(request):
    raise RuntimeError("deliberate failure for the 500 page test")


urlpatterns = [path("boom/", fail), *project_urlpatterns]
