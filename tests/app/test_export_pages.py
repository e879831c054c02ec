"""The export and briefing pages with AppTest: who may export what, the reason, the link."""

from __future__ import annotations

from tests.app.conftest import claims, new_app, open_page


def _open(user: dict, page: str):
    at = open_page(user, page)
    assert not at.exception, at.exception
    return at


def test_analyst_needs_a_reason_then_gets_a_single_use_link(app_env):
    at = _open(claims("politie"), "export")
    assert at.title[0].value == "Exporteren"
    assert at.radio[0].options == [
        "Signalen (rijen)",
        "Aantallen per maand, regio, fenomeen en partner",
    ]
    at.button[0].click().run()  # the form's submit button, no reason given
    assert "reden" in at.error[0].value
    at.text_input[0].input("zaak Haven")
    at.button[0].click().run()
    assert not at.error
    assert at.success and "rijen" in at.success[0].value
    link = at.get("link_button")[0]
    assert "/api/export?token=" in link.proto.url


def test_manager_may_export_aggregates_only(app_env):
    at = _open(claims("om", "manager"), "export")
    assert at.radio[0].options == ["Aantallen per maand, regio, fenomeen en partner"]
    assert any("alleen aantallen" in c.value for c in at.caption)


def test_manager_makes_a_briefing(app_env):
    at = _open(claims("om", "manager"), "briefing")
    assert at.title[0].value == "Managementbriefing NSOC"
    at.button[0].click().run()
    assert not at.exception
    assert at.get("download_button")


def test_auditors_have_no_export_page(app_env):
    at = new_app(claims("om", "auditor")).run()
    assert not at.exception
    import pytest

    with pytest.raises(Exception):  # noqa: B017 - not registered for this role
        at.switch_page("../pages/export.py").run()
