from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict:
    """Site-wide template values."""
    return {"site_name": settings.NEWSROOM_SITE_NAME}
