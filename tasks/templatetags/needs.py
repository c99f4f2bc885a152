"""`{% needs_me %}`: the list of what needs the signed-in user, for a page whose view sits
in a layer below tasks (the home page's, in dashboards) and so can't import it."""

from django import template
from django.utils import timezone

from tasks.needs import needs_for

register = template.Library()


@register.inclusion_tag("tasks/needs_me.html", takes_context=True)
def needs_me(context):
    return {"needs": needs_for(context["request"].user, timezone.localdate())}
