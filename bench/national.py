"""The national partnership every measurement opens, chosen the same way in each process."""


def national_partnership():
    """The national partnership the page timings open: the one with the most posts, so that
    its pages are the heaviest of the set."""
    from django.db.models import Count

    from partnerships.models import Agreement

    return (
        Agreement.objects.filter(slug__startswith="national-")
        .annotate(posts=Count("teams__posts"))
        .order_by("-posts", "slug")
        .first()
    )
