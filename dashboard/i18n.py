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
    "deliveries_title": {"nl": "Aanleveringen", "en": "Deliveries"},
    "deliveries_intro": {
        "nl": "Lever een bestand met signalen van je eigen organisatie aan (CSV of JSON Lines, "
        "zie examples/deliveries). Foute rijen gaan in quarantaine met de reden per veld; de "
        "goede rijen worden geladen. Hetzelfde bestand opnieuw aanleveren verandert niets.",
        "en": "Deliver a file of your own agency's signals (CSV or JSON Lines, see "
        "examples/deliveries). Bad rows go to quarantine with the reason per field; the good "
        "rows load. Delivering the same file again changes nothing.",
    },
    "delivering_agency": {"nl": "Aanleverende partner", "en": "Delivering agency"},
    "dev_mode_agency": {
        "nl": "Ontwikkelmodus: er is nog geen login, kies zelf de aanleverende partner.",
        "en": "Development mode: there is no login yet, choose the delivering agency.",
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
