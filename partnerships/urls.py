from django.urls import include, path

from partnerships import views

urlpatterns = [
    path("", views.home, name="home"),
    path("partnerships/<slug:slug>/", views.overview, name="partnership"),
    path("partnerships/<slug:slug>/s117/", include("s117.urls")),
]
