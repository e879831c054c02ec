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
    },  # Analyst views: phenomenon heatmaps and indicators (issue 4)
    "heatmaps_title": {"nl": "Fenomeen-heatmaps", "en": "Phenomenon heatmaps"},
    "heatmaps_intro": {
        "nl": "Waar en wanneer welke fenomenen gesignaleerd worden. Klik op een cel om de "
        "signalen erachter te zien.",
        "en": "Where and when which phenomena are signalled. Click a cell to see the signals "
        "behind it.",
    },
    "hm_view": {"nl": "Weergave", "en": "View"},
    "hm_by_region": {"nl": "Fenomeen × regio", "en": "Phenomenon × region"},
    "hm_by_month": {"nl": "Fenomeen × maand", "en": "Phenomenon × month"},
    "metric": {"nl": "Maat", "en": "Measure"},
    "metric_signals": {"nl": "Signalen", "en": "Signals"},
    "metric_amount_eur": {"nl": "Bedrag (EUR)", "en": "Amount (EUR)"},
    "metric_entities": {"nl": "Unieke entiteiten", "en": "Distinct entities"},
    "metric_agencies": {"nl": "Bijdragende partners", "en": "Contributing partners"},
    "compare": {"nl": "Vergelijk met vorige periode", "en": "Compare with previous period"},
    "compare_caption": {
        "nl": "Verandering ten opzichte van {start} t/m {end} (even lang, direct ervoor). Rood: "
        "meer, blauw: minder.",
        "en": "Change against {start} to {end} (equally long, just before). Red: more, blue: less.",
    },
    "region": {"nl": "Regio", "en": "Region"},
    "unknown_region": {"nl": "Onbekend/buitenland", "en": "Unknown/abroad"},
    "value": {"nl": "Waarde", "en": "Value"},
    "previous_period": {"nl": "Vorige periode", "en": "Previous period"},
    "change": {"nl": "Verandering", "en": "Change"},
    "new": {"nl": "nieuw", "en": "new"},
    "no_cells": {
        "nl": "Geen signalen binnen deze filters.",
        "en": "No signals within these filters.",
    },
    "grey_cells": {
        "nl": "Grijze cellen: minder dan {k} signalen (kleine-celbeveiliging).",
        "en": "Grey cells: fewer than {k} signals (small-cell suppression).",
    },
    "drilldown_hint": {
        "nl": "Klik op een cel om de signalen erachter te zien.",
        "en": "Click a cell to see the signals behind it.",
    },
    "drilldown_managers": {
        "nl": "Als manager ziet u alleen geaggregeerde cijfers; doorklikken naar signalen is "
        "voorbehouden aan analisten.",
        "en": "As a manager you see aggregates only; drilling down to signals is for analysts.",
    },
    "drilldown_title": {"nl": "Signalen achter de cel", "en": "Signals behind the cell"},
    "drilldown_count": {
        "nl": "{n} signalen getoond (de nieuwste, hoogstens {limit}); deze inzage is vastgelegd "
        "in de audittrail.",
        "en": "{n} signals shown (the newest, at most {limit}); this access has been recorded in "
        "the audit trail.",
    },
    "municipality": {"nl": "Gemeente", "en": "Municipality"},
    "node": {"nl": "Haven/luchthaven", "en": "Port/airport"},
    "amount_eur": {"nl": "Bedrag (EUR)", "en": "Amount (EUR)"},
    "severity": {"nl": "Ernst", "en": "Severity"},
    "reliability": {"nl": "Betrouwbaarheid bron", "en": "Source reliability"},
    "credibility": {"nl": "Betrouwbaarheid informatie", "en": "Information credibility"},
    "indicators_title": {
        "nl": "Corruptie- en geweldsindicatoren",
        "en": "Corruption and violence indicators",
    },
    "indicators_intro": {
        "nl": "Maandreeksen per RIEC-regio met een verwachte waarde en afwijkingen. De laatste "
        "maand van de gekozen periode is de huidige maand.",
        "en": "Monthly series per RIEC region with an expected value and anomalies. The last "
        "month of the chosen period is the current month.",
    },
    "indicator": {"nl": "Indicator", "en": "Indicator"},
    "count": {"nl": "Aantal", "en": "Count"},
    "expected": {"nl": "Verwacht", "en": "Expected"},
    "significance": {"nl": "Significantie (−log₁₀ p)", "en": "Significance (−log₁₀ p)"},
    "kind": {"nl": "Soort", "en": "Kind"},
    "kind_month": {"nl": "uitschieter deze maand", "en": "outlier this month"},
    "kind_sustained": {"nl": "aanhoudende stijging (3 maanden)", "en": "sustained rise (3 months)"},
    "anomalies_title": {"nl": "Huidige afwijkingen: {month}", "en": "Current anomalies: {month}"},
    "no_anomalies": {
        "nl": "Geen afwijkingen in de huidige maand.",
        "en": "No anomalies in the current month.",
    },
    "kpi_help": {
        "nl": "{month}. Vorige maand: {previous}; jaar eerder: {year}; regio's met afwijking: {n}.",
        "en": "{month}. Previous month: {previous}; a year earlier: {year}; regions flagged: {n}.",
    },
    "series_title": {"nl": "Maandreeks per regio", "en": "Monthly series per region"},
    "flagged": {"nl": "Afwijking", "en": "Anomaly"},
    "method_title": {"nl": "Hoe afwijkingen worden bepaald", "en": "How anomalies are found"},
    "method_text": {
        "nl": "Per indicator en regio vergelijken we elke maand met een **verwachte waarde**: "
        "de hoogste van (1) de mediaan van de twaalf maanden die drie maanden eerder eindigen "
        "(de twee maanden ertussen tellen niet mee, zodat een opbouwend cluster zijn eigen "
        "verwachting niet opdrijft) en (2) het gemiddelde van dezelfde maand een jaar eerder en "
        "de maanden ernaast (seizoen: een piek rond de jaarwisseling die vorig jaar ook optrad "
        "is geen afwijking). De verwachting is minstens 1.\n\n"
        "Een maand is een **afwijking** als het aantal minstens 5 is, minstens anderhalf keer "
        "de verwachting, en zo onwaarschijnlijk onder een Poissonverdeling met die verwachting "
        "dat p ≤ 0,01. Bij grote aantallen (verwachting 10 of meer) wordt de spreiding robuust "
        "geschat (MAD) en telt een grillige reeks minder snel als afwijkend (quasi-Poisson). "
        "Een **aanhoudende stijging** telt ook: deze maand en de twee ervoor allemaal boven de "
        "verwachting en samen significant. De lijst sorteert op significantie (−log₁₀ p).",
        "en": "For each indicator and region, every month is compared with an **expected "
        "value**: the higher of (1) the median of the twelve months ending three months earlier "
        "(the two months in between are left out, so that a cluster building up does not raise "
        "its own expectation) and (2) the mean of the same month a year earlier and its "
        "neighbours (season: a New Year peak that also happened last year is no anomaly). The "
        "expected value is at least 1.\n\n"
        "A month is an **anomaly** when its count is at least 5, at least one and a half times "
        "the expected value, and so unlikely under a Poisson distribution with that mean that "
        "p ≤ 0.01. With large counts (expected 10 or more) the spread is estimated robustly "
        "(MAD) and an erratic series needs a larger excess (quasi-Poisson). A **sustained "
        "rise** counts too: this month and the two before all above expected and significant "
        "together. The list is sorted by significance (−log₁₀ p).",
    },
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


def fmt_decimal(value: float, lang: str, digits: int = 1) -> str:
    """1.234,5 in Dutch, 1,234.5 in English."""
    text = f"{value:,.{digits}f}"
    if lang == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def fmt_eur(value: float, lang: str) -> str:
    """Whole euros: € 1.234.567 in Dutch, €1,234,567 in English."""
    sign = "-" if value < 0 else ""
    return (
        f"{sign}€ {fmt_int(abs(value), lang)}"
        if lang == "nl"
        else f"{sign}€{fmt_int(abs(value), lang)}"
    )


def fmt_change(value: float, lang: str, digits: int = 0) -> str:
    """A signed change: +1.234 / −12 (digits > 0 for decimals)."""
    text = fmt_decimal(abs(value), lang, digits) if digits else fmt_int(abs(value), lang)
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


def fmt_pct(value: float, lang: str) -> str:
    """A signed percentage: +12,5 % in Dutch, +12.5% in English."""
    text = fmt_change(value, lang, digits=1)
    return f"{text} %" if lang == "nl" else f"{text}%"
