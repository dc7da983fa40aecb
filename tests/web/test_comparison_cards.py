"""The business and unemployment comparisons as cards (issue 12, item 1), without JavaScript: what decides
first in each card, the rest one disclosure away, and two or three company forms side by side on request."""

from __future__ import annotations

import re
from html import unescape

from tests.helpers import complete_business, complete_unemployment

BUSINESS = "/en/events/business/plan"
UNEMPLOYMENT = "/en/events/unemployment/plan"


def text(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def card_parts(page: str, id_prefix: str) -> dict[str, str]:
    """Card id (without the prefix) -> its markup up to the next card of the same kind or the end of its list."""
    parts = re.split(rf'(?=<li class="option[^"]*" id="{id_prefix})', page)
    found = (
        re.match(
            rf'<li class="option[^"]*" id="{id_prefix}([\w-]+)">(.*?)(?:</ol>|</ul>\s*</li>\s*</ul>|$)', part, re.S
        )
        for part in parts
    )
    return {m.group(1): m.group(2) for m in found if m}


def facts(card: str) -> dict[str, str]:
    """The deciding facts of a card: label -> text."""
    dl = re.search(r'<dl class="option__facts">(.*?)</dl>', card, re.S).group(1)
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", dl, re.S)
    return {unescape(k): " ".join(unescape(re.sub(r"<[^>]+>", " ", v)).split()) for k, v in pairs}


def test_company_forms_lead_with_fit_and_fee(csrf_off_client) -> None:
    complete_business(csrf_off_client, idea={"animal_origin": "no"})
    page = text(csrf_off_client.get(BUSINESS))
    forms = card_parts(page, "form-")
    assert list(forms) == ["toiminimi", "oy", "ay", "ky"]
    oy = facts(forms["oy"])
    assert list(oy) == ["For you", "Registration fee", "Minimum capital", "Liability for debts"]
    assert oy["For you"] == "Fits you" and oy["Registration fee"] == "€320"
    assert facts(forms["ay"])["For you"] == "Does not fit you"
    # taxation, pension, administration and the reasons are one disclosure away
    details = re.search(r'<details class="details option__details">(.*?)</details>', forms["oy"], re.S).group(1)
    assert "18 %" in details and "<dt>Why</dt>" in details and "<dt>Pension insurance</dt>" in details


def test_company_forms_side_by_side(csrf_off_client) -> None:
    complete_business(csrf_off_client, idea={"animal_origin": "no"})
    page = text(csrf_off_client.get(BUSINESS))
    form = re.search(r'<form method="get" action="/en/events/business/plan#side-by-side".*?</form>', page, re.S)
    assert form and 'name="compare_form" value="oy"' in form.group(0) and "Compare chosen" in form.group(0)
    page = text(csrf_off_client.get(f"{BUSINESS}?compare_form=toiminimi&compare_form=oy"))
    table = re.search(r'<table class="table side-by-side__table">.*?</table>', page, re.S).group(0)
    assert re.findall(r'<th scope="col">([^<]+)</th>', table) == [
        "Sole trader (toiminimi)",
        "Private limited company (oy)",
    ]
    assert re.findall(r'<tr><th scope="row">([^<]+)</th>', table)[:3] == [
        "For you",
        "Registration fee",
        "Minimum capital",
    ]
    assert "€70" in table and "€320" in table
    assert re.search(r'name="compare_form" value="oy"[^>]*checked', page)
    assert "Choose two or three company forms" in text(csrf_off_client.get(f"{BUSINESS}?compare_form=oy"))
    assert "Choose two or three company forms" in text(csrf_off_client.get(f"{BUSINESS}?compared=1"))


def test_service_points_lead_with_distance_next_time_and_cost(csrf_off_client) -> None:
    complete_business(csrf_off_client, idea={"animal_origin": "no"})
    page = text(csrf_off_client.get(BUSINESS))
    points = card_parts(page, "unit-service-")
    assert len(points) >= 4
    for card in points.values():
        assert list(facts(card)) == ["Distance", "Next free appointment", "Cost", "Language", "Others' experiences"]
        details = re.search(r'<details class="details option__details">(.*?)</details>', card, re.S).group(1)
        assert "<dt>Opening hours</dt>" in details and "<dt>Accessibility</dt>" in details
        assert "<dt>Language</dt>" not in details  # on the card itself, not one disclosure away
    assert any("<time datetime=" in card for card in points.values())


def test_benefits_lead_with_what_you_get(csrf_off_client) -> None:
    complete_unemployment(csrf_off_client)
    page = text(csrf_off_client.get(UNEMPLOYMENT))
    benefits = card_parts(page, "benefit-")
    assert list(benefits) == ["general_support"]
    card = benefits["general_support"]
    assert "You get this" in card
    assert facts(card) == {"A day": "€37.21", "A month (21.5 days)": "€800.02", "Paid for at most": "400 paid days"}
    assert 'href="#timeline-general_support"' in card and 'id="timeline-general_support"' in page
    assert "<table" not in re.search(r'<section aria-labelledby="income-title">.*?</section>', page, re.S).group(0)
