"""Smoke tests of the shell, the login gate and the status page with AppTest."""

from __future__ import annotations

from sqlalchemy import text

from tests.app.conftest import claims, new_app, open_page


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _audit(warehouse, action: str) -> list:
    with warehouse.engine.connect() as conn:
        return conn.execute(
            text(
                "select viewer, agency, role, details from audit_log where action = :a "
                "order by chain_seq"
            ),
            {"a": action},
        ).all()


def test_without_login_the_agencies_are_offered(app_env):
    at = new_app().run()
    assert not at.exception
    labels = [b.label for b in at.button]
    assert "Politie" in labels and "Douane" in labels
    assert not at.metric  # nothing of the warehouse is shown


def test_analysts_and_managers_start_on_the_heatmaps(app_env):
    for user in (claims("politie"), claims("om", "manager")):
        at = new_app(user).run()
        assert not at.exception
        assert at.title[0].value == "Fenomeen-heatmaps"
    assert _audit(app_env, "page_view")[-1].details["page"] == "heatmaps"


def test_status_page_for_an_analyst_in_dutch(app_env):
    at = open_page(claims("politie"), "status")
    assert not at.exception
    assert at.title[0].value == "Status van het warehouse"
    signals = int(_metrics(at)["Signalen"].replace(".", ""))
    with app_env.engine.connect() as conn:
        visible = conn.scalar(
            text(
                "select count(*) from signal s join agency a on a.code = 'politie' "
                "where s.audience_mask & (1::bigint << a.bit) <> 0"
            )
        )
    assert signals == visible < 20_000
    assert "Entiteiten" in _metrics(at)
    assert _audit(app_env, "login")[-1].viewer == "analist@politie"
    assert _audit(app_env, "page_view")[-1].details["page"] == "status"


def test_status_page_in_english(app_env):
    at = open_page(claims("fiod"), "status", lang="en")
    assert not at.exception
    assert at.title[0].value == "Warehouse status"
    assert "," in _metrics(at)["Signals"]


def test_manager_sees_suppressed_cells_and_no_entities(app_env):
    at = open_page(claims("defensie", "manager"), "status")
    assert not at.exception
    assert "Entiteiten" not in _metrics(at)
    grid = at.table[0].value
    assert (grid == "< 5").any().any()
    assert any("kleine-celbeveiliging" in c.value for c in at.caption)


def test_wrong_issuer_is_refused_and_audited(app_env):
    forged = claims("politie", iss="https://idp.douane.test")
    at = new_app(forged).run()
    assert not at.exception
    assert "verwachte uitgever" in at.error[0].value
    assert not at.metric
    entry = _audit(app_env, "login_refused")[-1]
    assert entry.agency == "politie" and entry.details["reason"] == "issuer_mismatch"


def test_claims_cannot_change_the_agency(app_env):
    at = new_app(claims("kmar", agency="fiod", agency_bit=4)).run()
    assert not at.exception
    assert at.session_state["viewer"].agency == "kmar"


def test_no_recognised_role_means_no_access(app_env):
    at = new_app(claims("om", "stagiair")).run()
    assert "geen rol" in at.error[0].value
    assert _audit(app_env, "login_refused")[-1].details["reason"] == "no_role"


def test_auditor_starts_on_the_audit_page(app_env):
    new_app(claims("om")).run()  # something to audit for om
    at = new_app(claims("om", "auditor")).run()
    assert not at.exception
    assert at.title[0].value == "Audittrail"
    shown = at.dataframe[0].value
    with app_env.engine.connect() as conn:
        own = set(conn.execute(text("select viewer from audit_log where agency = 'om'")).scalars())
    # the auditor's own agency only: its users, and commands run on its behalf (CLI)
    assert len(shown) > 0 and set(shown["Gebruiker"]) <= own
    assert "analist@om" in set(shown["Gebruiker"])


def test_unreachable_warehouse_shows_a_message_not_a_trace(app_env, monkeypatch):
    from tests.app.conftest import _reset

    monkeypatch.setenv("NSOC_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    _reset()
    at = new_app(claims("politie")).run()
    assert not at.exception
    assert "niet bereikbaar" in at.error[0].value
