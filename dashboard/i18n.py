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
    "briefing_indicator": {"nl": "Indicator", "en": "Indicator"},
    "briefing_this_month": {"nl": "Laatste maand", "en": "Last month"},
    "briefing_month_before": {"nl": "Maand ervoor", "en": "Month before"},
    "briefing_regions_flagged": {"nl": "Regio's met afwijking", "en": "Regions flagged"},
    "briefing_no_anomalies": {
        "nl": "Geen afwijkingen in de laatste maand van de periode.",
        "en": "No anomalies in the last month of the period.",
    },
    "briefing_anomalies": {
        "nl": "Afwijkingen in de laatste maand, meest significant eerst (verwacht: de basislijn "
        "uit de voorgaande maanden en hetzelfde seizoen een jaar eerder).",
        "en": "Anomalies in the last month, most significant first (expected: the baseline from "
        "the preceding months and the same season a year earlier).",
    },
    "briefing_expected": {"nl": "Verwacht", "en": "Expected"},
    "briefing_facilitators_no_names": {
        "nl": 'Voor managers alleen categorieën, zonder namen; kleine aantallen als "< k".',
        "en": 'For managers categories only, without names; small counts as "< k".',
    },
    "briefing_facilitators": {"nl": "Facilitators", "en": "Facilitators"},
    "briefing_name": {"nl": "Naam", "en": "Name"},
    "rollups": {"nl": "Verversing van de rollups", "en": "Rollup refresh"},
    "rollup": {"nl": "Rollup", "en": "Rollup"},
    "refreshed_at": {"nl": "Ververst op", "en": "Refreshed at"},
    "stale_from": {"nl": "Wordt bijgewerkt vanaf", "en": "Being updated from"},
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
    # entity resolution in the app (issue 7)
    "matches_title": {"nl": "Koppelvoorstellen", "en": "Match proposals"},
    "matches_intro": {
        "nl": "Entiteiten met een KvK-, IBAN- of IMO-nummer of BSN worden bij het laden al "
        "samengevoegd. Entiteiten die alleen met een naam zijn aangeleverd, stelt het warehouse "
        "voor te koppelen op genormaliseerde naam en plaats. Bevestig wat dezelfde is en wijs "
        "af wat verschillend is; het besluit blijft gelden na nieuwe aanleveringen en wordt "
        "vastgelegd in de audittrail.",
        "en": "Entities with a Chamber of Commerce, IBAN or IMO number or citizen number are "
        "merged when they load. Entities delivered by name only are proposed as matches on "
        "normalised name and place. Confirm what is the same and reject what is different; the "
        "decision holds after new deliveries and is recorded in the audit trail.",
    },
    "matches_scope_analyst": {
        "nl": "U ziet alleen voorstellen waarvan u beide entiteiten mag zien: via signalen of "
        "interventies die met uw organisatie zijn gedeeld.",
        "en": "You see only proposals whose two entities you may both see: through signals or "
        "interventions shared with your agency.",
    },
    "matches_scope_steward": {
        "nl": "Als gegevensbeheerder ziet u alleen voorstellen waarvan beide entiteiten in de "
        "aanleveringen van uw eigen organisatie voorkomen. Voorstellen tussen partners "
        "beoordelen analisten.",
        "en": "As a data steward you see only proposals whose two entities both occur in your "
        "own agency's deliveries. Analysts judge proposals between partners.",
    },
    "matches_shown": {
        "nl": "{shown} van {total} open voorstellen, sterkste eerst.",
        "en": "{shown} of {total} open proposals, strongest first.",
    },
    "no_open_matches": {
        "nl": "Geen open koppelvoorstellen die u mag zien.",
        "en": "No open match proposals you may see.",
    },
    "matches_open_link": {
        "nl": "Koppelvoorstellen ({count} open)",
        "en": "Match proposals ({count} open)",
    },
    "match_rule_name_place": {"nl": "Zelfde naam en plaats", "en": "Same name and place"},
    "match_rule_name_compact_place": {
        "nl": "Zelfde naam (spaties genegeerd) en plaats",
        "en": "Same name (spaces ignored) and place",
    },
    "match_rule_name_no_place": {
        "nl": "Zelfde naam, één van beide zonder plaats",
        "en": "Same name, one of them without a place",
    },
    "match_score": {"nl": "score", "en": "score"},
    "match_entity": {"nl": "Deze entiteit", "en": "This entity"},
    "match_candidate": {"nl": "is mogelijk dezelfde als", "en": "may be the same as"},
    "match_identifier": {"nl": "kenmerk", "en": "identifier"},
    "match_no_identifier": {"nl": "geen kenmerk", "en": "no identifier"},
    "match_no_place": {"nl": "plaats onbekend", "en": "place unknown"},
    "match_confirm": {"nl": "Bevestigen: dezelfde", "en": "Confirm: the same"},
    "match_reject": {"nl": "Afwijzen: verschillend", "en": "Reject: different"},
    "match_confirmed": {
        "nl": "Voorstel {match} bevestigd: {entity} en {candidate} zijn nu één entiteit.",
        "en": "Proposal {match} confirmed: {entity} and {candidate} are now one entity.",
    },
    "match_rejected": {
        "nl": "Voorstel {match} afgewezen: {entity} en {candidate} blijven gescheiden.",
        "en": "Proposal {match} rejected: {entity} and {candidate} stay apart.",
    },
    "match_refused_not_found": {
        "nl": "Dit voorstel is niet gevonden of u heeft er geen toegang toe.",
        "en": "This proposal was not found or you have no access to it.",
    },
    "match_refused_decided": {
        "nl": "Over dit voorstel is inmiddels al besloten; de lijst is bijgewerkt.",
        "en": "This proposal has been decided in the meantime; the list is up to date.",
    },
    "match_refused_role": {
        "nl": "Met uw rol kunt u niet over koppelingen beslissen.",
        "en": "Your role cannot decide on matches.",
    },
    "match_refused_open": {
        "nl": "Over dit voorstel is (nog) niet besloten; er is niets ongedaan te maken.",
        "en": "This proposal has not been decided; there is nothing to undo.",
    },
    "match_refused_other_agency": {
        "nl": "Alleen de organisatie die het besluit nam, kan het ongedaan maken.",
        "en": "Only the agency that took the decision can undo it.",
    },
    "match_undo_title": {"nl": "Besluit ongedaan maken", "en": "Undo a decision"},
    "match_undo_help": {
        "nl": "Besluiten van uw eigen organisatie kunt u terugdraaien: het voorstel staat dan "
        "weer open en een samenvoeging wordt ongedaan gemaakt. Het oorspronkelijke besluit "
        "blijft in de audittrail.",
        "en": "Decisions of your own agency can be undone: the proposal is open again and a "
        "merge is taken apart. The original decision stays in the audit trail.",
    },
    "match_undo_pick": {"nl": "Besluit", "en": "Decision"},
    "match_undo_button": {"nl": "Ongedaan maken", "en": "Undo"},
    "match_undone": {
        "nl": "Besluit over voorstel {match} ongedaan gemaakt: het voorstel staat weer open.",
        "en": "Decision on proposal {match} undone: the proposal is open again.",
    },
    "recent_decisions": {"nl": "Recente besluiten", "en": "Recent decisions"},
    "decision": {"nl": "Besluit", "en": "Decision"},
    "decision_confirmed": {"nl": "bevestigd", "en": "confirmed"},
    "decision_rejected": {"nl": "afgewezen", "en": "rejected"},
    "decided_by": {"nl": "Door", "en": "By"},
    "decided_cli": {"nl": "opdrachtregel (nsoc resolve)", "en": "command line (nsoc resolve)"},
    "match_candidate_short": {"nl": "Kandidaat", "en": "Candidate"},
    "no_decisions": {
        "nl": "Nog geen besluiten die u mag zien.",
        "en": "No decisions you may see yet.",
    },
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
    "category": {"nl": "Categorie", "en": "Category"},
    "category_drugs": {"nl": "Drugs", "en": "Drugs"},
    "category_money_laundering": {"nl": "Witwassen", "en": "Money laundering"},
    "category_corruption": {"nl": "Corruptie", "en": "Corruption"},
    "category_violence": {"nl": "Geweld", "en": "Violence"},
    "category_trafficking": {"nl": "Mensenhandel", "en": "Trafficking"},
    "category_fraud": {"nl": "Fraude", "en": "Fraud"},
    "category_facilitation": {"nl": "Facilitering", "en": "Facilitation"},
    # -- issue 5: facilitators, entity pages, map ---------------------------------------------
    "facilitators_title": {"nl": "Facilitators", "en": "Facilitators"},
    "facilitators_intro": {
        "nl": "Dienstverleners die criminaliteit laten renderen, gerangschikt op een uitlegbare "
        "score. Alleen signalen die u mag zien tellen mee.",
        "en": "Service providers that make crime pay, ranked by an explainable score. Only "
        "signals you may see count.",
    },
    "facilitators_aggregate_only": {
        "nl": "U ziet geaggregeerde aantallen per categorie; namen en scores zijn voor analisten.",
        "en": "You see aggregate counts per category; names and scores are for analysts.",
    },
    "per_category": {"nl": "Per categorie", "en": "Per category"},
    "all_categories": {"nl": "Alle categorieën", "en": "All categories"},
    "unknown": {"nl": "Onbekend", "en": "Unknown"},
    "facilitators": {"nl": "Facilitators", "en": "Facilitators"},
    "facilitator": {"nl": "Facilitator", "en": "Facilitator"},
    "no_facilitators": {
        "nl": "Geen facilitators binnen deze filters.",
        "en": "No facilitators within these filters.",
    },
    "weights_title": {"nl": "Gewichten van de score", "en": "Score weights"},
    "weights_help": {
        "nl": "Score = 100 × Σ gewicht × genormaliseerde component / Σ gewichten. Elk signaal "
        "telt naar betrouwbaarheid van de bron (A 1,0 · B 0,8 · C 0,5 · X 0,4 · D 0,3) maal "
        "betrouwbaarheid van de informatie (1 1,0 · 2 0,8 · 3 0,5 · 4 0,3). Het volume vervalt "
        "met de halfwaardetijd, gerekend vanaf het einde van de gekozen periode.",
        "en": "Score = 100 × Σ weight × normalised component / Σ weights. Each signal counts by "
        "source reliability (A 1.0 · B 0.8 · C 0.5 · X 0.4 · D 0.3) times information "
        "credibility (1 1.0 · 2 0.8 · 3 0.5 · 4 0.3). Volume decays with the half-life, counted "
        "from the end of the selected period.",
    },
    "comp_agencies": {"nl": "Partners", "en": "Agencies"},
    "comp_networks": {"nl": "Netwerken", "en": "Networks"},
    "comp_volume": {"nl": "Volume (vervallen)", "en": "Volume (decayed)"},
    "comp_money": {"nl": "Geld (EUR)", "en": "Money (EUR)"},
    "comp_severity": {"nl": "Ernst", "en": "Severity"},
    "half_life": {"nl": "Halfwaardetijd (dagen)", "en": "Half-life (days)"},
    "sharing_lens_title": {
        "nl": "Wat delen oplevert: eigen gegevens naast alles wat u mag zien",
        "en": "What sharing adds: your own data next to everything you may see",
    },
    "sharing_lens_intro": {
        "nl": "Per facilitator de score op alleen de signalen van uw eigen organisatie ({agency}) "
        "naast de score op alle signalen die partners met u delen, op dezelfde schaal.",
        "en": "Per facilitator the score on your own organisation's signals only ({agency}) next "
        "to the score on all signals partners share with you, on the same scale.",
    },
    "facilitators_visible": {"nl": "Facilitators in beeld", "en": "Facilitators in view"},
    "facilitators_only_partners": {
        "nl": "Alleen via partners in beeld",
        "en": "Visible only through partners",
    },
    "score_from_partners": {
        "nl": "Deel van de score uit gedeelde gegevens",
        "en": "Share of the score from shared data",
    },
    "own_data": {"nl": "Eigen gegevens", "en": "Own data"},
    "all_visible": {"nl": "Alles wat u mag zien", "en": "Everything you may see"},
    "data_basis": {"nl": "Grondslag", "en": "Basis"},
    "only_partners_list": {
        "nl": "Facilitators die u alleen dankzij gedeelde informatie ziet",
        "en": "Facilitators you see only thanks to shared information",
    },
    "ranking_title": {"nl": "Ranglijst", "en": "Ranking"},
    "rank": {"nl": "Rang", "en": "Rank"},
    "rank_change_short": {"nl": "Δ vorige periode", "en": "Δ previous period"},
    "score": {"nl": "Score", "en": "Score"},
    "own_score": {"nl": "Score eigen gegevens", "en": "Score own data"},
    "ranking_click_hint": {
        "nl": "Klik een rij aan om de entiteitpagina te openen.",
        "en": "Select a row to open the entity page.",
    },
    "score_explained": {"nl": "Uitleg van de score", "en": "The score explained"},
    "component": {"nl": "Component", "en": "Component"},
    "points": {"nl": "Punten", "en": "Points"},
    "raw_value": {"nl": "Waarde", "en": "Value"},
    "normalised": {"nl": "Genormaliseerd (0–1)", "en": "Normalised (0–1)"},
    "weight": {"nl": "Gewicht", "en": "Weight"},
    "score_line": {
        "nl": "Score **{score}** (eigen gegevens {own}), nummer **{rank}** in {category}, met de "
        "standaardgewichten.",
        "en": "Score **{score}** (own data {own}), number **{rank}** in {category}, with the "
        "default weights.",
    },
    "no_score_in_period": {
        "nl": "Geen facilitatorsignalen binnen de gekozen filters.",
        "en": "No facilitator signals within the selected filters.",
    },
    "entity_title": {"nl": "Entiteit", "en": "Entity"},
    "entity_id": {"nl": "Entiteit-id", "en": "Entity id"},
    "entity_invalid_id": {
        "nl": "Dit is geen geldig entiteit-id (een positief geheel getal).",
        "en": "This is not a valid entity id (a positive whole number).",
    },
    "entity_pick": {
        "nl": "Open een entiteit vanuit de facilitatorranglijst of vul een entiteit-id in.",
        "en": "Open an entity from the facilitator ranking or enter an entity id.",
    },
    "entity_not_found": {"nl": "Niet gevonden of geen toegang.", "en": "Not found or no access."},
    "entity": {"nl": "Entiteit", "en": "Entity"},
    "kind_company": {"nl": "Onderneming", "en": "Company"},
    "kind_person": {"nl": "Persoon (pseudoniem)", "en": "Person (pseudonym)"},
    "kind_bank_account": {"nl": "Bankrekening", "en": "Bank account"},
    "kind_vessel": {"nl": "Schip", "en": "Vessel"},
    "kvk_number": {"nl": "KvK", "en": "Chamber of Commerce no."},
    "iban": {"nl": "IBAN", "en": "IBAN"},
    "imo_number": {"nl": "IMO", "en": "IMO"},
    "interventions": {"nl": "Interventies", "en": "Interventions"},
    "no_interventions": {
        "nl": "Geen interventies die u mag zien.",
        "en": "No interventions you may see.",
    },
    "entity_timeline": {"nl": "Signalen door de tijd", "en": "Signals over time"},
    "entity_timeline_note": {
        "nl": "De hele geschiedenis; de gekozen periode is gearceerd.",
        "en": "The whole history; the selected period is shaded.",
    },
    "role_in_signal": {"nl": "Rol", "en": "Role"},
    "entity_agencies": {"nl": "Gemeld door", "en": "Reported by"},
    "first_seen": {"nl": "Eerst gezien", "en": "First seen"},
    "last_seen": {"nl": "Laatst gezien", "en": "Last seen"},
    "roles": {"nl": "Rollen", "en": "Roles"},
    "decided_on": {"nl": "Besloten op", "en": "Decided on"},
    "intervention_type": {"nl": "Interventie", "en": "Intervention"},
    "outcome": {"nl": "Uitkomst", "en": "Outcome"},
    "target": {"nl": "Gericht op", "en": "Aimed at"},
    "target_entity": {"nl": "deze entiteit", "en": "this entity"},
    "network": {"nl": "Netwerk", "en": "Network"},
    "entity_graph": {"nl": "Netwerkbeeld", "en": "Network picture"},
    "graph_entity": {"nl": "Deze entiteit", "en": "This entity"},
    "graph_network": {"nl": "Netwerk", "en": "Network"},
    "graph_linked": {"nl": "Gekoppelde entiteit", "en": "Linked entity"},
    "linked_entities": {"nl": "Gekoppelde entiteiten", "en": "Linked entities"},
    "shared_signals": {"nl": "Gedeelde signalen", "en": "Shared signals"},
    "linked_click_hint": {
        "nl": "Klik een rij aan om die entiteit te openen.",
        "en": "Select a row to open that entity.",
    },
    "map_title": {"nl": "Kaart", "en": "Map"},
    "map_intro": {
        "nl": "Signalen op zeshoeken (H3), havens en luchthavens, en stromen vanuit havens in "
        "het buitenland. Klik op een zeshoek of haven om de hele app op die gemeente te filteren.",
        "en": "Signals on hexagons (H3), ports and airports, and flows from ports abroad. Click "
        "a hexagon or port to filter the whole app on its municipality.",
    },
    "map_offline": {
        "nl": "Offline kaart: er wordt geen achtergrondkaart geladen (geschikt voor gesloten "
        "netwerken). Lagen en plaatsnamen worden op een effen achtergrond getekend. Een online "
        "achtergrondkaart stelt u in met streamlit_config/map.toml.",
        "en": "Offline map: no basemap is loaded (suitable for closed networks). Layers and "
        "place names are drawn on a plain background. Configure an online basemap in "
        "streamlit_config/map.toml.",
    },
    "map_metric": {"nl": "Intensiteit", "en": "Intensity"},
    "map_resolution": {"nl": "Zeshoeken", "en": "Hexagons"},
    "map_res_7": {"nl": "fijn", "en": "fine"},
    "map_res_5": {"nl": "grof", "en": "coarse"},
    "map_flow_kind": {"nl": "Stromen", "en": "Flows"},
    "flows_all": {"nl": "alle", "en": "all"},
    "flows_smuggling": {"nl": "smokkel (drugs, mensen)", "en": "smuggling (drugs, people)"},
    "flows_money": {"nl": "geld en handel", "en": "money and trade"},
    "layer_hexagons": {"nl": "Zeshoeken", "en": "Hexagons"},
    "layer_nodes": {"nl": "Havens en luchthavens", "en": "Ports and airports"},
    "layer_flows": {"nl": "Stromen", "en": "Flows"},
    "layer_places": {"nl": "Plaatsnamen", "en": "Place names"},
    "map_world": {"nl": "Wereldbeeld", "en": "World view"},
    "map_filtered": {
        "nl": "Filter gezet op gemeente(n) {codes}; alle pagina's tonen nu deze selectie.",
        "en": "Filter set to municipality(ies) {codes}; every page now shows this selection.",
    },
    "map_click_hint": {
        "nl": "Klik op zeshoeken of havens (Shift voor meer) om te filteren.",
        "en": "Click hexagons or ports (Shift for more) to filter.",
    },
    "high_severity": {"nl": "Ernstig (4–5)", "en": "Severe (4–5)"},
    "abroad_or_unknown": {"nl": "Buitenland of onbekend", "en": "Abroad or unknown"},
    "node_seaport": {"nl": "zeehaven", "en": "sea port"},
    "node_airport": {"nl": "luchthaven", "en": "airport"},
    "top_ports": {"nl": "Drukste havens en luchthavens", "en": "Busiest ports and airports"},
    "top_flows": {"nl": "Zwaarste stromen", "en": "Heaviest flows"},
    "flow": {"nl": "Stroom", "en": "Flow"},
    "flow_kind": {"nl": "Soort", "en": "Kind"},
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
    # pandas' NaT (a missing time in a frame) is a datetime that cannot format itself
    if value is None or value != value:
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


def fmt_compact(value: float, lang: str) -> str:
    """A short number for a heatmap cell: 9.876, 12k, 1,2 mln / 1.2M, 3,4 mld / 3.4bn."""
    size = abs(value)
    sign = "-" if value < 0 else ""
    for limit, nl, en in ((1e9, " mld", "bn"), (1e6, " mln", "M")):
        if size >= limit:
            return f"{sign}{fmt_decimal(size / limit, lang)}{nl if lang == 'nl' else en}"
    if size >= 1e4:
        return f"{sign}{fmt_int(size / 1e3, lang)}k"
    return f"{sign}{fmt_int(size, lang)}"


def fmt_change(value: float, lang: str, digits: int = 0) -> str:
    """A signed change: +1.234 / −12 (digits > 0 for decimals)."""
    text = fmt_decimal(abs(value), lang, digits) if digits else fmt_int(abs(value), lang)
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


def fmt_pct(value: float, lang: str) -> str:
    """A signed percentage: +12,5 % in Dutch, +12.5% in English."""
    text = fmt_change(value, lang, digits=1)
    return f"{text} %" if lang == "nl" else f"{text}%"
