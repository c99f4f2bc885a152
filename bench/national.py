"""The national partnership every measurement opens, and the one with the largest s117
register, chosen the same way in each process."""


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


def largest_register():
    """The national partnership with the most people on its s117 register (about 1.4 times
    the mean: some 1,150 entries at any scale), whose register pages are the heaviest."""
    from django.db.models import Count

    from partnerships.models import Agreement

    return (
        Agreement.objects.filter(slug__startswith="national-")
        .annotate(entries=Count("s117_entries"))
        .order_by("-entries", "slug")
        .first()
    )
