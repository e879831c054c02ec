"""Dutch by default, English on request: labels and number and date formats."""

from __future__ import annotations

import datetime as dt

LANGUAGES = ("nl", "en")

CATALOGUE: dict[str, dict[str, str]] = {
    "app_title": {"nl": "NSOC-dashboard", "en": "NSOC dashboard"},
    "language": {"nl": "Taal", "en": "Language"},
    "status_title": {"nl": "Status van het warehouse", "en": "Warehouse status"},
    "status_intro": {
        "nl": "Wat elke partner heeft aangeleverd en hoe actueel het is. Alleen aantallen en data, "
        "geen inhoud van signalen.",
        "en": "What each partner delivered and how fresh it is. Counts and dates only, no signal "
        "contents.",
    },
    "signals": {"nl": "Signalen", "en": "Signals"},
    "agencies": {"nl": "Partners", "en": "Partners"},
    "agency": {"nl": "Partner", "en": "Partner"},
    "entities": {"nl": "Entiteiten", "en": "Entities"},
    "networks": {"nl": "Netwerken", "en": "Networks"},
    "first_month": {"nl": "Eerste maand", "en": "First month"},
    "last_month": {"nl": "Laatste maand", "en": "Last month"},
    "last_delivery": {"nl": "Laatste aanlevering", "en": "Last delivery"},
    "month": {"nl": "Maand", "en": "Month"},
    "deliveries_chart": {
        "nl": "Signalen per maand en partner",
        "en": "Signals per month and partner",
    },
    "coverage": {"nl": "Dekking per partner", "en": "Coverage per partner"},
    "phenomenon_by_agency": {
        "nl": "Signalen per fenomeen en partner",
        "en": "Signals per phenomenon and partner",
    },
    "latest_signals": {
        "nl": "Nieuwste signalen die u mag zien",
        "en": "Newest signals you may see",
    },
    "source_ref": {"nl": "Bronkenmerk", "en": "Source reference"},
    "phenomenon": {"nl": "Fenomeen", "en": "Phenomenon"},
    "observed_on": {"nl": "Waargenomen", "en": "Observed"},
    "handling_code": {"nl": "Behandelcode", "en": "Handling code"},
    "filters": {"nl": "Filters", "en": "Filters"},
    "regions": {"nl": "RIEC-regio's", "en": "RIEC regions"},
    "municipalities": {"nl": "Gemeenten", "en": "Municipalities"},
    "phenomena": {"nl": "Fenomenen", "en": "Phenomena"},
    "owning_agencies": {"nl": "Aanleverende partners", "en": "Contributing partners"},
    "handling_codes": {"nl": "Behandelcodes", "en": "Handling codes"},
    "all": {"nl": "Alle", "en": "All"},
    "definitions": {"nl": "Definities", "en": "Definitions"},
    "coverage_title": {"nl": "Dekking: wie heeft bijgedragen", "en": "Coverage: who contributed"},
    "coverage_note": {
        "nl": "Aantallen binnen de filters; 'gegevens tot' is de laatste aanlevering van die "
        "partner. Geen signalen betekent niet: geen criminaliteit.",
        "en": "Counts within the filters; 'data until' is that partner's last delivery. No "
        "signals does not mean no crime.",
    },
    "data_until": {"nl": "gegevens tot", "en": "data until"},
    "no_contribution": {
        "nl": "Geen bijdrage binnen deze filters van: {agencies}.",
        "en": "No contribution within these filters from: {agencies}.",
    },
    "rollups": {"nl": "Verversing van de rollups", "en": "Rollup refresh"},
    "rollup": {"nl": "Rollup", "en": "Rollup"},
    "refreshed_at": {"nl": "Ververst op", "en": "Refreshed at"},
    "rows": {"nl": "Rijen", "en": "Rows"},
    "no_data": {
        "nl": "Het warehouse bevat nog geen signalen. Laad een aanlevering of draai `nsoc seed`.",
        "en": "The warehouse holds no signals yet. Load a delivery or run `nsoc seed`.",
    },
    "db_unavailable": {
        "nl": "Het warehouse is niet bereikbaar. Start het met `nsoc db start` of controleer "
        "NSOC_DATABASE_URL.",
        "en": "The warehouse cannot be reached. Start it with `nsoc db start` or check "
        "NSOC_DATABASE_URL.",
    },
    "never": {"nl": "nooit", "en": "never"},
    "login_title": {
        "nl": "Inloggen via de identiteitsprovider van uw organisatie",
        "en": "Log in through your organisation's identity provider",
    },
    "no_providers": {
        "nl": "Er is geen identiteitsprovider geconfigureerd. Vul streamlit_config/secrets.toml "
        "aan (zie secrets.toml.example).",
        "en": "No identity provider is configured. Complete streamlit_config/secrets.toml "
        "(see secrets.toml.example).",
    },
    "development_identities": {
        "nl": "Dit zijn lokale ontwikkelidentiteiten (demo). Een productie-inrichting gebruikt de "
        "eigen identiteitsprovider van elke partner.",
        "en": "These are local development identities (demo). A production setup uses each "
        "partner's own identity provider.",
    },
    "refused_unknown_provider": {
        "nl": "Deze identiteitsprovider is niet (meer) toegelaten.",
        "en": "This identity provider is not (or no longer) admitted.",
    },
    "refused_issuer_mismatch": {
        "nl": "Toegang geweigerd: het token komt niet van de verwachte uitgever van deze partner. "
        "Deze poging is vastgelegd.",
        "en": "Access refused: the token does not come from this partner's expected issuer. "
        "This attempt has been recorded.",
    },
    "refused_no_role": {
        "nl": "Toegang geweigerd: uw account heeft geen rol voor dit dashboard. Vraag uw "
        "beheerder om een rol (analist, manager, gegevensbeheerder, auditor of beheerder).",
        "en": "Access refused: your account has no role for this dashboard. Ask your "
        "administrator for one (analyst, manager, steward, auditor or admin).",
    },
    "refused_no_subject": {
        "nl": "Toegang geweigerd: het token noemt geen gebruiker.",
        "en": "Access refused: the token names no user.",
    },
    "refused_no_session_time": {
        "nl": "Toegang geweigerd: het token heeft geen aanmeldtijd.",
        "en": "Access refused: the token carries no login time.",
    },
    "refused_other": {"nl": "Toegang geweigerd.", "en": "Access refused."},
    "logout": {"nl": "Uitloggen", "en": "Log out"},
    "signed_in_as": {"nl": "Ingelogd als", "en": "Signed in as"},
    "role": {"nl": "Rol", "en": "Role"},
    "role_analyst": {"nl": "analist", "en": "analyst"},
    "role_manager": {"nl": "manager", "en": "manager"},
    "role_steward": {"nl": "gegevensbeheerder", "en": "data steward"},
    "role_auditor": {"nl": "auditor", "en": "auditor"},
    "role_admin": {"nl": "beheerder", "en": "administrator"},
    "audit_title": {"nl": "Audittrail", "en": "Audit trail"},
    "audit_intro": {
        "nl": "Wie wat heeft gezien en meegenomen, voor uw organisatie. De trail is alleen "
        "aan te vullen en met een hashketen beveiligd.",
        "en": "Who saw and took out what, for your organisation. The trail is append-only and "
        "protected by a hash chain.",
    },
    "action": {"nl": "Handeling", "en": "Action"},
    "viewer": {"nl": "Gebruiker", "en": "User"},
    "time": {"nl": "Tijdstip", "en": "Time"},
    "details": {"nl": "Details", "en": "Details"},
    "from": {"nl": "Van", "en": "From"},
    "to": {"nl": "Tot en met", "en": "To"},
    "search_user": {"nl": "Zoek gebruiker", "en": "Search user"},
    "entries": {"nl": "Regels", "en": "Entries"},
    "suppressed_note": {
        "nl": 'Aantallen onder {k} worden getoond als "< {k}" (kleine-celbeveiliging).',
        "en": 'Counts under {k} are shown as "< {k}" (small-cell suppression).',
    },
    "deliveries_title": {"nl": "Aanleveringen", "en": "Deliveries"},
    "deliveries_intro": {
        "nl": "Lever een bestand met signalen van je eigen organisatie aan (CSV of JSON Lines, "
        "zie examples/deliveries). Foute rijen gaan in quarantaine met de reden per veld; de "
        "goede rijen worden geladen. Hetzelfde bestand opnieuw aanleveren verandert niets.",
        "en": "Deliver a file of your own agency's signals (CSV or JSON Lines, see "
        "examples/deliveries). Bad rows go to quarantine with the reason per field; the good "
        "rows load. Delivering the same file again changes nothing.",
    },
    "delivery_file": {"nl": "Aanleverbestand", "en": "Delivery file"},
    "deliver": {"nl": "Aanleveren", "en": "Deliver"},
    "delivery_loaded": {"nl": "Aanlevering geladen", "en": "Delivery loaded"},
    "delivery_duplicate": {
        "nl": "Dit bestand is al aangeleverd (batch {batch}); er is niets veranderd.",
        "en": "This file was delivered before (batch {batch}); nothing changed.",
    },
    "delivery_rejected": {"nl": "Bestand geweigerd: {error}", "en": "File rejected: {error}"},
    "rows_new": {"nl": "Nieuw", "en": "New"},
    "rows_updated": {"nl": "Bijgewerkt", "en": "Updated"},
    "rows_unchanged": {"nl": "Ongewijzigd", "en": "Unchanged"},
    "rows_quarantined": {"nl": "In quarantaine", "en": "Quarantined"},
    "what_to_fix": {"nl": "Wat moet er worden verbeterd", "en": "What to fix"},
    "problem": {"nl": "Probleem", "en": "Problem"},
    "line": {"nl": "Regel", "en": "Line"},
    "reasons": {"nl": "Redenen", "en": "Reasons"},
    "recent_batches": {"nl": "Recente aanleveringen", "en": "Recent deliveries"},
    # exports and briefings (issue 6)
    "export_title": {"nl": "Exporteren", "en": "Export"},
    "export_intro": {
        "nl": "Neem de rijen of het aggregaat achter een overzicht mee, met de filters uit de "
        "zijbalk. Elke export wordt vastgelegd in de audittrail, met de reden en de "
        "vingerafdruk (SHA-256) van het bestand.",
        "en": "Take the rows or the aggregate behind a view, with the filters in the sidebar. "
        "Every export is recorded in the audit trail, with its reason and the file's "
        "fingerprint (SHA-256).",
    },
    "export_what": {"nl": "Wat", "en": "What"},
    "export_rows": {"nl": "Signalen (rijen)", "en": "Signals (rows)"},
    "export_aggregate": {
        "nl": "Aantallen per maand, regio, fenomeen en partner",
        "en": "Counts per month, region, phenomenon and partner",
    },
    "export_columns": {"nl": "Kolommen", "en": "Columns"},
    "export_dialect": {"nl": "Formaat", "en": "Format"},
    "dialect_excel-nl": {
        "nl": "Excel (Nederlands: puntkomma, decimale komma)",
        "en": "Excel (Dutch: semicolon, decimal comma)",
    },
    "dialect_rfc4180": {"nl": "CSV (RFC 4180, komma)", "en": "CSV (RFC 4180, comma)"},
    "export_reason": {"nl": "Reden van de export (verplicht)", "en": "Reason (required)"},
    "export_reason_missing": {
        "nl": "Geef de reden van de export op.",
        "en": "State the reason for the export.",
    },
    "export_columns_missing": {"nl": "Kies ten minste één kolom.", "en": "Choose a column."},
    "export_case": {"nl": "Zaaknummer (optioneel)", "en": "Case number (optional)"},
    "export_prepare": {"nl": "Export klaarzetten", "en": "Prepare export"},
    "export_download": {"nl": "Download {name}", "en": "Download {name}"},
    "export_ready": {
        "nl": "{rows} rijen. De downloadlink werkt één keer en {seconds} seconden lang.",
        "en": "{rows} rows. The download link works once, for {seconds} seconds.",
    },
    "export_refused": {"nl": "Niet mogelijk: {reason}", "en": "Not possible: {reason}"},
    "export_aggregates_only": {
        "nl": "Uw rol mag alleen aantallen exporteren (met kleine-celbeveiliging).",
        "en": "Your role may export counts only (with small-cell suppression).",
    },
    "export_preview": {"nl": "Voorbeeld (eerste rijen)", "en": "Preview (first rows)"},
    "briefing_title": {"nl": "Managementbriefing NSOC", "en": "NSOC management briefing"},
    "briefing_intro": {
        "nl": "Een briefing van vijf minuten lezen als PDF: kerncijfers met de verandering "
        "tegenover de vorige periode, fenomenen per regio, de meerwaarde van het delen, methode "
        "en dekking.",
        "en": "A five-minute briefing as PDF: headline figures with the change against the "
        "previous period, phenomena by region, the added value of sharing, method and coverage.",
    },
    "briefing_period": {"nl": "Periode", "en": "Period"},
    "briefing_for": {"nl": "Opgesteld voor", "en": "Prepared for"},
    "briefing_recipient": {"nl": "Ontvanger", "en": "Recipient"},
    "briefing_make": {"nl": "Briefing maken", "en": "Make briefing"},
    "briefing_handling": {
        "nl": "Bevat gedeelde gegevens van partners onder hun behandelcodes (H0–H3): verdere "
        "verspreiding alleen met toestemming van de aanleverende partner.",
        "en": "Contains partners' shared data under their handling codes (H0–H3): further "
        "distribution only with the contributing partner's permission.",
    },
    "briefing_amount": {"nl": "Bedrag", "en": "Amount"},
    "briefing_high_severity": {"nl": "Ernstige signalen (4–5)", "en": "Severe signals (4–5)"},
    "briefing_change_note": {
        "nl": "Verandering tegenover de vorige periode ({previous}).",
        "en": "Change against the previous period ({previous}).",
    },
    "briefing_added_value": {
        "nl": "{share} % van de signalen die u ziet komt van partners: dat beeld had uw "
        "organisatie zonder delen niet gehad.",
        "en": "{share} % of the signals you see come from partners: your organisation would "
        "not have had them without sharing.",
    },
    "briefing_own": {"nl": "Eigen organisatie", "en": "Own organisation"},
    "briefing_partners": {"nl": "Partners", "en": "Partners"},
    "briefing_method": {
        "nl": "Alle cijfers komen uit de gedeelde signalen die de ontvanger mag zien, geteld per "
        'maand van waarneming. Aantallen onder {k} staan er als "< {k}" (kleine-'
        "celbeveiliging) voor wie geen rijen mag zien.",
        "en": "All figures come from the shared signals the recipient may see, counted by month "
        'of observation. Counts under {k} read "< {k}" (small-cell suppression) for '
        "recipients who may not see rows.",
    },
    "no_data_period": {
        "nl": "Geen signalen in deze periode.",
        "en": "No signals in this period.",
    },
    "region": {"nl": "Regio", "en": "Region"},
    "category": {"nl": "Categorie", "en": "Category"},
    "category_drugs": {"nl": "Drugs", "en": "Drugs"},
    "category_money_laundering": {"nl": "Witwassen", "en": "Money laundering"},
    "category_corruption": {"nl": "Corruptie", "en": "Corruption"},
    "category_violence": {"nl": "Geweld", "en": "Violence"},
    "category_trafficking": {"nl": "Mensenhandel", "en": "Trafficking"},
    "category_fraud": {"nl": "Fraude", "en": "Fraud"},
    "category_facilitation": {"nl": "Facilitering", "en": "Facilitation"},
}


def t(key: str, lang: str) -> str:
    """The label for key in lang (Dutch when the language is unknown)."""
    entry = CATALOGUE[key]
    return entry.get(lang) or entry["nl"]


def fmt_int(value: int | float, lang: str) -> str:
    """1.234.567 in Dutch, 1,234,567 in English."""
    text = f"{int(round(value)):,}"
    return text.replace(",", ".") if lang == "nl" else text


def fmt_date(value: dt.date | dt.datetime | None, lang: str) -> str:
    if value is None:
        return t("never", lang)
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M" if lang == "nl" else "%Y-%m-%d %H:%M")
    return value.strftime("%d-%m-%Y" if lang == "nl" else "%Y-%m-%d")


def fmt_month(value: dt.date | None, lang: str) -> str:
    if value is None:
        return "–"
    return value.strftime("%m-%Y" if lang == "nl" else "%Y-%m")
