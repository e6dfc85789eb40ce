from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="list"),
    path("a/<str:public_id>/", views.article_detail, name="detail"),
    # Before the slug pattern: "source" is not a slug.
    path("a/<str:public_id>/source/", views.article_source_text, name="raw"),
    # A slug may follow the id for readability; it is never needed nor checked.
    path("a/<str:public_id>/<str:slug>/", views.article_detail, name="detail-slug"),
    path("regions/<str:code>/", views.region_detail, name="region"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
]
