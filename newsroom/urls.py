from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from articles import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

admin.site.site_header = settings.NEWSROOM_SITE_NAME + " · 编辑部"
admin.site.site_title = settings.NEWSROOM_SITE_NAME
admin.site.index_title = "内容管理"
