from django.urls import path

from tasks import views

urlpatterns = [
    path("stop/<str:token>/", views.stop, name="stop_reminders"),
]
