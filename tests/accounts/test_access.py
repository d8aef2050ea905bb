"""accounts.access: the one definition of a pilot lead, and the gate on pilot leads' pages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from accounts.access import is_pilot_lead, pilot_lead_required

pytestmark = pytest.mark.django_db


@pilot_lead_required
def leads_page(request):
    return HttpResponse("for pilot leads")


def _request(user):
    request = RequestFactory().get("/leads-page/")
    request.user = user
    return request


def test_it_counts_staff_accounts_and_only_them_as_pilot_leads(alice, lead):
    assert is_pilot_lead(lead)
    assert not is_pilot_lead(alice)
    assert not is_pilot_lead(AnonymousUser())


def test_it_lets_a_pilot_lead_in(lead):
    assert leads_page(_request(lead)).content == b"for pilot leads"


def test_it_gives_a_teacher_a_404_as_for_a_page_that_is_not_theirs(alice):
    with pytest.raises(Http404):
        leads_page(_request(alice))


def test_it_sends_an_anonymous_visitor_to_log_in():
    response = leads_page(_request(AnonymousUser()))
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/leads-page/"
