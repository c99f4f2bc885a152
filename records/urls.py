"""The partners' own records, under partnerships/<slug>/records/. One block per area."""

from django.urls import path

from records.views import terms as terms_views

urlpatterns: list = [
    # terms: extensions, variations and the decisions on them
    path("terms/", terms_views.terms, name="agreement_terms"),
    path("terms/propose/", terms_views.propose, name="propose_term_change"),
    path("terms/proposals/<int:proposal_id>/", terms_views.proposal, name="term_proposal"),
    path(
        "terms/proposals/<int:proposal_id>/decision/",
        terms_views.decide,
        name="decide_term_proposal",
    ),
]
