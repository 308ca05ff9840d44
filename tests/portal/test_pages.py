import pytest
from wagtail.models import Page

from portal.models import HomePage, SiteSettings, StandardPage

pytestmark = pytest.mark.django_db


def test_home_page_renders_the_organisation_and_gov_uk_chrome(client, home_page):
    settings = SiteSettings.for_site(home_page.get_site())
    settings.organisation_name = "Harrowfield Borough Council"
    settings.save()

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Harrowfield Borough Council" in html
    assert 'class="govuk-skip-link"' in html
    assert 'id="main-content"' in html
    assert "govuk-phase-banner" in html
    assert "govuk-footer" in html
    assert "Sign in" in html


def test_home_page_query_count_is_bounded(client, home_page, django_assert_max_num_queries):
    for i in range(15):
        home_page.add_child(
            instance=StandardPage(title=f"Page {i}", slug=f"page-{i}", show_in_menus=True)
        )
    client.get("/")  # the first request creates the site settings row
    with django_assert_max_num_queries(10):
        response = client.get("/")
    assert response.status_code == 200
    # the menu lists the pages shown in menus, from one query however many there are
    assert response.content.decode().count("govuk-service-navigation__item") >= 15


def test_standard_page_renders_streamfield_with_bounded_queries(
    client, home_page, django_assert_max_num_queries
):
    page = StandardPage(
        title="House rules",
        slug="house-rules",
        summary="How to take part.",
        body=[
            ("heading", {"text": "Be respectful", "size": "m"}),
            ("paragraph", "<p>Disagree with ideas, not people.</p>"),
            ("callout", {"style": "warning", "title": "", "text": "<p>No personal details.</p>"}),
            ("details", {"summary": "Why we moderate", "text": "<p>To keep it safe.</p>"}),
        ],
    )
    home_page.add_child(instance=page)
    page.save_revision().publish()

    client.get(page.url)  # the first request creates the site settings row
    with django_assert_max_num_queries(10):
        response = client.get(page.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 class="govuk-heading-m">Be respectful</h2>' in html
    assert "govuk-warning-text" in html
    assert "govuk-details" in html
    assert "Disagree with ideas, not people." in html


def test_missing_page_uses_the_custom_404(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "govuk-header" in response.content.decode()


def test_server_error_page_renders_without_a_database(rf):
    from portal.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_page_types_declare_their_place_in_the_tree():
    assert HomePage.parent_page_types == ["wagtailcore.Page"]
    assert StandardPage.parent_page_types == ["portal.HomePage", "portal.StandardPage"]
    assert Page.objects.type(HomePage).count() == 1


def test_footer_links_the_house_rules_privacy_and_accessibility_pages(client, home_page):
    pages = {}
    for slug, title in [
        ("house-rules", "House rules"),
        ("privacy", "Privacy notice"),
        ("accessibility", "Accessibility statement"),
    ]:
        page = StandardPage(title=title, slug=slug)
        home_page.add_child(instance=page)
        pages[slug] = page
    settings = SiteSettings.for_site(home_page.get_site())
    settings.house_rules_page = pages["house-rules"]
    settings.privacy_page = pages["privacy"]
    settings.accessibility_page = pages["accessibility"]
    settings.save()

    html = client.get("/").content.decode()

    for slug, title in [
        ("house-rules", "House rules"),
        ("privacy", "Privacy notice"),
        ("accessibility", "Accessibility statement"),
    ]:
        assert f'href="/{slug}/">{title}</a>' in html
