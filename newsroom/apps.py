"""Third-party apps under the names editors read in the admin."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes (admin login throttling), listed in the admin as 登录保护 rather than "Axes"."""

    verbose_name = _("登录保护")
