"""What the desk's pages show: the notices list (figures, order, filters, markers, query
count), the notice page (chart, histogram, complaint phrases and their reviews, history,
closing the loop) and the moderation queue."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from desk import services
from desk.selectors import closing_the_loop, desk_notice_list, notice_rows
from gate.services import gate_policy_from_settings
from reviews.models import ReviewStatus
from tests.integration.desk.factories import (
    Stories,
    Story,
    add_review,
    flagged_story,
    gate_catch_up,
    make_category,
    similar_praise,
    story_reload,
)

pytestmark = pytest.mark.django_db


def rows_of(page: str) -> list[str]:
    return re.findall(r'data-notice="(\d+)"', page)


# --- The notices list ----------------------------------------------------------------------


def test_live_notices_are_listed_soonest_deadline_first(client: Client, stories: Stories, manager: User) -> None:
    client.force_login(manager)
    page = client.get(reverse("desk:notices")).content.decode()
    # Withdrawn (flagged 5 days ago, deadline passed) before open (flagged 2 days ago).
    assert rows_of(page) == [str(stories.withdrawn.notice.pk), str(stories.open.notice.pk)]
    assert "Withdrawal tomorrow if still below" in page  # flagged 2 days ago, 3 days of grace
    assert "Off sale since" in page


def test_a_row_shows_the_gates_figures_now_against_the_threshold_and_the_trend(
    client: Client, story: Story, manager: User
) -> None:
    # Flagged at 35 / 14 = 2.5; a 5-star review today makes it 40 / 15 = 2.6667.
    client.force_login(manager)
    add_review(story.product, rating=5, days_ago=0, hour=0)
    response = client.get(reverse("desk:notices"))
    [row] = response.context["rows"]
    assert (row.figures.count, row.figures.total) == (15, 40)
    assert row.figures.average == Decimal("2.6667")
    assert row.figures.status == "below"
    assert row.trend == Decimal("0.17")
    page = response.content.decode()
    assert "2.7<" in page and "15 counted reviews" in page and "below 3" in page
    assert "+0.17 since flagging (2.5)" in page
    assert "Not acknowledged" in page and "Unassigned" in page and "Managed by Julia" in page


def test_filters_by_state_category_and_manager(
    client: Client, manager: User, other_manager: User, director: User
) -> None:
    tents, bags = make_category("Tents"), make_category("Bags")
    a = flagged_story(managers=[manager], category=tents, flag_days_ago=2, catch_up=False)
    b = flagged_story(managers=[other_manager], category=bags, flag_days_ago=5, catch_up=False)
    gate_catch_up()
    a, b = story_reload(a), story_reload(b)
    client.force_login(director)
    url = reverse("desk:notices")
    assert rows_of(client.get(url).content.decode()) == [str(b.notice.pk), str(a.notice.pk)]
    assert rows_of(client.get(url, {"category": tents.pk}).content.decode()) == [str(a.notice.pk)]
    assert rows_of(client.get(url, {"manager": other_manager.pk}).content.decode()) == [str(b.notice.pk)]
    assert rows_of(client.get(url, {"state": "withdrawn"}).content.decode()) == [str(b.notice.pk)]
    assert rows_of(client.get(url, {"state": "resolved"}).content.decode()) == []
    services.desk_improvement_log(notice=b.notice, by=director, description="Fixed.")
    assert rows_of(client.get(url, {"state": "resolved"}).content.decode()) == [str(b.notice.pk)]
    assert rows_of(client.get(url).content.decode()) == [str(a.notice.pk)]
    assert client.get(url, {"category": "nope"}).status_code == 400


def test_acknowledged_and_assigned_markers(client: Client, story: Story, manager: User) -> None:
    services.notice_acknowledge(notice=story.notice, by=manager)
    services.notice_assign(notice=story.notice, assignee=manager, by=manager)
    services.notice_comment_add(notice=story.notice, by=manager, body="On it.")
    client.force_login(manager)
    page = client.get(reverse("desk:notices")).content.decode()
    assert "Acknowledged by Julia" in page and "Assigned to Julia" in page and "1 comment" in page


def test_the_notices_list_makes_the_same_queries_for_two_or_twelve_notices(
    client: Client, manager: User, director: User
) -> None:
    few_category = make_category("Tents")
    for n in range(12):
        category = few_category if n < 2 else make_category()
        flagged_story(managers=[manager, director] if n % 2 else [manager], category=category, catch_up=False)
    gate_catch_up()
    client.force_login(director)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(reverse("desk:notices"), {"category": few_category.pk}).context["rows"]) == 2
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(reverse("desk:notices"), {"category": ""}).context["rows"]) == 12
    assert len(many.captured_queries) == len(few.captured_queries), [q["sql"] for q in many.captured_queries]


# --- The notice page -----------------------------------------------------------------------


def test_the_notice_page_has_the_chart_with_its_markers_and_its_table(
    client: Client, withdrawn_story: Story, manager: User
) -> None:
    client.force_login(manager)
    page = client.get(reverse("desk:notice", kwargs={"pk": withdrawn_story.notice.pk})).content.decode()
    [svg] = re.findall(r"<svg .*?</svg>", page, flags=re.S)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert f"Rating of {withdrawn_story.product.name} over time" in svg
    assert "chart-marker-flagged" in svg and "chart-marker-withdrawn" in svg
    assert "style=" not in svg
    assert "The chart&#x27;s figures as a table" in page or "The chart's figures as a table" in page
    assert re.search(r"<td>2\.5</td><td>14</td>", page)  # the flag day: 35 / 14


def test_the_histogram_counts_the_revisions_published_reviews(client: Client, story: Story, manager: User) -> None:
    client.force_login(manager)
    response = client.get(reverse("desk:notice", kwargs={"pk": story.notice.pk}))
    histogram = {bar["stars"]: bar["count"] for bar in response.context["histogram"]}
    assert histogram == {5: 3, 4: 2, 3: 0, 2: 3, 1: 6}


def test_complaint_phrases_link_to_the_reviews_that_contain_them(client: Client, story: Story, manager: User) -> None:
    similar_praise(story.product)
    client.force_login(manager)
    response = client.get(reverse("desk:notice", kwargs={"pk": story.notice.pk}))
    english = [link["phrase"].phrase for link in response.context["phrases_en"]]
    french = [link["phrase"].phrase for link in response.context["phrases_fr"]]
    assert "zip broke" in english
    assert any("fermeture éclair" in phrase or "cassé" in phrase for phrase in french)
    [zip_link] = [link for link in response.context["phrases_en"] if link["phrase"].phrase == "zip broke"]
    assert zip_link["phrase"].low_count == 4
    page = response.content.decode()
    assert "in 4 of 6 low-rated reviews, 0 of 3 high-rated" in page
    assert "in 3 of 3 low-rated reviews, 0 of 2 high-rated" in page  # French, on French reviews
    reviews_page = client.get(zip_link["url"])
    shown = {review.pk for review in reviews_page.context["reviews"]}
    expected = {review.pk for review in story.low if "zip broke" in review.body.lower()}
    assert shown == expected and len(shown) == 4
    assert "4 reviews contain “zip broke”" in reviews_page.content.decode()


def test_reviews_are_listed_lowest_rating_first(client: Client, story: Story, manager: User) -> None:
    client.force_login(manager)
    response = client.get(reverse("desk:notice", kwargs={"pk": story.notice.pk}))
    ratings = [review.rating for review in response.context["reviews"]]
    assert ratings == sorted(ratings) and ratings[0] == 1
    everything = client.get(reverse("desk:product_reviews", kwargs={"sku": story.product.sku}), {"page": 2})
    assert [r.rating for r in everything.context["reviews"]] == [4, 5, 5, 5]


def test_the_gate_history_and_the_improvement_form_are_on_the_page(
    client: Client, withdrawn_story: Story, manager: User
) -> None:
    similar_praise(withdrawn_story.product)
    client.force_login(manager)
    response = client.get(reverse("desk:notice", kwargs={"pk": withdrawn_story.notice.pk}))
    page = response.content.decode()
    assert [event.kind for event in response.context["events"]] == ["withdrawn", "flagged"]
    assert 'id="improvement"' in page and "Log the improvement and put back on sale" in page
    assert 'value="zip broke"' in page


def test_after_an_improvement_the_notice_shows_whether_the_complaints_it_addresses_are_still_said(
    client: Client, withdrawn_story: Story, manager: User
) -> None:
    story = withdrawn_story
    services.desk_improvement_log(
        notice=story.notice, by=manager, description="New zip.", addressed_phrases=["zip broke", "seams let water"]
    )
    story.product.refresh_from_db()
    add_review(story.product, rating=2, days_ago=0, hour=0, text="Seams let water in again, sadly.")
    add_review(story.product, rating=1, days_ago=0, hour=0, text="The groundsheet tore.")
    add_review(story.product, rating=5, days_ago=0, hour=0, text="The zip broke? Not on mine, great zip.")
    story.notice.refresh_from_db()
    loop = closing_the_loop(improvement=story.notice.resolved_by)  # type: ignore[arg-type]
    by_phrase = {row.phrase: row for row in loop.rows}
    assert (by_phrase["zip broke"].before, by_phrase["zip broke"].before_total) == (4, 9)
    assert (by_phrase["zip broke"].after, by_phrase["zip broke"].after_total) == (0, 2)
    assert by_phrase["zip broke"].verdict == "fixed"
    assert (by_phrase["seams let water"].before, by_phrase["seams let water"].after) == (3, 1)
    assert by_phrase["seams let water"].verdict == "worse"  # 3 of 9 before, 1 of 2 after
    client.force_login(manager)
    page = client.get(reverse("desk:notice", kwargs={"pk": story.notice.pk})).content.decode()
    assert 'id="loop"' in page and 'id="improvement"' not in page
    assert "No longer said" in page
    assert "4 of 9 (44.4%)" in page and "0 of 2 (0.0%)" in page


def test_a_resolved_notice_still_analyses_the_version_that_was_flagged(
    client: Client, withdrawn_story: Story, manager: User
) -> None:
    similar_praise(withdrawn_story.product)
    services.desk_improvement_log(notice=withdrawn_story.notice, by=manager, description="New zip.")
    client.force_login(manager)
    response = client.get(reverse("desk:notice", kwargs={"pk": withdrawn_story.notice.pk}))
    assert response.context["revision"] == 0
    assert "zip broke" in [link["phrase"].phrase for link in response.context["phrases_en"]]


def test_notice_rows_need_no_query_per_notice(stories: Stories, manager: User) -> None:
    policy = gate_policy_from_settings()
    notices = list(desk_notice_list(user=manager))
    assert len(notices) == 2
    with CaptureQueriesContext(connection) as queries:
        notice_rows(notices=notices, today=policy.day_of(timezone.now()), policy=policy)
    assert len(queries.captured_queries) == 1


# --- Moderation queue ----------------------------------------------------------------------


def test_the_queue_lists_pending_reviews_oldest_first_with_reasons_to_choose(
    client: Client, story: Story, moderator: User
) -> None:
    newer = add_review(story.product, rating=5, status=ReviewStatus.PENDING, days_ago=1, title="Newer one")
    older = add_review(story.product, rating=1, status=ReviewStatus.PENDING, days_ago=3, title="Older one")
    client.force_login(moderator)
    response = client.get(reverse("desk:moderation"))
    assert [review.pk for review in response.context["pending"]] == [older.pk, newer.pk]
    page = response.content.decode()
    assert page.index("Older one") < page.index("Newer one")
    assert '<option value="spam">Spoam' not in page and '<option value="spam">Spam or advertising</option>' in page
    assert 'value="author_deleted"' not in page
    older_item = page[page.index(f'id="queue-{older.pk}"') :]
    older_item = older_item[: older_item.index("</article>")]
    assert ">Approve<" in older_item and "Keep published" not in older_item


def test_the_gates_notice_links_open_the_desks_notice_page(settings) -> None:
    # gate.notify writes the path itself (the gate may not depend on the desk's URL names).
    from gate.notify import notice_url

    settings.SITE_URL = "https://shop.example"
    assert notice_url(42) == "https://shop.example" + reverse("desk:notice", kwargs={"pk": 42})


def test_the_notice_page_in_french_localises_figures_but_not_the_charts_coordinates(
    client: Client, withdrawn_story: Story, manager: User
) -> None:
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    manager.language = "fr"  # a signed-in user reads the site in their account's language
    manager.save(update_fields=["language"])
    client.force_login(manager)
    page = client.get(reverse("desk:notice", kwargs={"pk": withdrawn_story.notice.pk})).content.decode()
    assert '<html lang="fr">' in page
    assert re.search(r"<td>2,5</td><td>14</td>", page)  # the chart's table: for people
    assert re.search("\\(\\d+\u202f%\\)", page)  # the histogram's shares: "(40 %)"
    [svg] = re.findall(r"<svg .*?</svg>", page, flags=re.S)
    # Coordinates and the view box are for the browser: never "12,5".
    for attribute in re.findall(r'\s(?:x|y|x1|x2|y1|y2|cx|cy|width|height|viewBox)="([^"]*)"', svg):
        assert "," not in attribute, attribute
    assert re.search(r'(?:cx|x)="\d+\.\d+"', svg)
    # The threshold as pages write it (core.gate_figures.threshold_shown), in French.
    assert 'class="chart-threshold-label">3,0</text>' in svg
