"""The page a reminder email's stop link opens. The signed token is the credential
(tasks.stopping), so the page needs no sign-in; stopping takes a confirming POST, so that
a mail scanner following the link stops nothing."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from tasks.stopping import has_stopped, stop_reminders, user_for


@require_http_methods(["GET", "POST"])
def stop(request, token):
    user = user_for(token)
    if user is None:
        raise Http404("This link to stop reminders is not valid.")
    if request.method == "POST":
        stop_reminders(user)
        return render(request, "tasks/stopped.html", {"person": user})
    return render(
        request,
        "tasks/stop.html",
        {"person": user, "token": token, "already": has_stopped(user)},
    )
