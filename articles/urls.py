from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="list"),
    path("a/<str:public_id>/", views.article_detail, name="detail"),
    path("a/<str:public_id>/<slug:slug>/", views.article_detail, name="detail-slug"),
    path("a/<str:public_id>/source", views.article_source_text, name="raw"),
    path("regions/<str:code>/", views.region_detail, name="region"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
]
