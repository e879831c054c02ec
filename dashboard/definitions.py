"""Definitions of every metric, one click away on every page (a popover)."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import t

DEFINITIONS: dict[str, dict[str, str]] = {
    "signals": {
        "nl": "**Signalen**: meldingen die een partner in het warehouse heeft gedeeld en die u "
        "mag zien (uw organisatie staat in de doelgroep van het signaal).",
        "en": "**Signals**: reports a partner shared in the warehouse that you may see (your "
        "organisation is in the signal's audience).",
    },
    "amount": {
        "nl": "**Bedrag (EUR)**: som van de bedragen die bij de signalen zijn opgegeven; signalen "
        "zonder bedrag tellen als 0.",
        "en": "**Amount (EUR)**: sum of the amounts given with the signals; signals without an "
        "amount count as 0.",
    },
    "suppression": {
        "nl": "**Kleine-celbeveiliging**: wie geen rijen mag zien (managers) krijgt aantallen onder "
        'de drempel als "< k" te zien, zodat niemand herleidbaar wordt.',
        "en": "**Small-cell suppression**: viewers who may not see rows (managers) see counts "
        'under the threshold as "< k", so that nobody can be singled out.',
    },
    "coverage": {
        "nl": "**Dekking**: welke partners aan het getoonde hebben bijgedragen en tot wanneer hun "
        "gegevens lopen. Geen signalen betekent niet: geen criminaliteit.",
        "en": "**Coverage**: which partners contributed to what is shown and how recent their "
        "data is. No signals does not mean no crime.",
    },
    "export": {
        "nl": "**Export**: een CSV-bestand met de rijen of aantallen die u hier mag zien. Cellen "
        "die met =, +, -, @ of een tab beginnen krijgen een ' ervoor, zodat een spreadsheet ze "
        "niet uitvoert. Elke export staat in de audittrail met reden en SHA-256.",
        "en": "**Export**: a CSV file with the rows or counts you may see here. Cells starting "
        "with =, +, -, @ or a tab get a ' in front, so a spreadsheet does not run them. Every "
        "export is in the audit trail with its reason and SHA-256.",
    },
    "facilitator_score": {
        "nl": "**Facilitatorscore (0–100)**: gewogen som van vijf componenten, elk genormaliseerd "
        "tegen de facilitators die u in de periode ziet: aantal melders (partners), bediende "
        "netwerken, volume met verval (halfwaardetijd 180 dagen vanaf het einde van de periode), "
        "geld (EUR) en gemiddelde ernst. Elk signaal telt naar betrouwbaarheid van bron (A–D, X) "
        "en informatie (1–4). Netwerken, volume en geld op logaritmische schaal.",
        "en": "**Facilitator score (0–100)**: weighted sum of five components, each normalised "
        "against the facilitators you see in the period: reporting agencies, networks served, "
        "volume with decay (half-life 180 days from the end of the period), money (EUR) and mean "
        "severity. Each signal counts by source reliability (A–D, X) and information credibility "
        "(1–4). Networks, volume and money on a log scale.",
    },
    "sharing_lens": {
        "nl": "**Deellens**: de score op alleen de signalen van uw eigen organisatie, op dezelfde "
        "schaal als de score op alles wat u mag zien. Het verschil is wat partners toevoegen.",
        "en": "**Sharing lens**: the score on your own organisation's signals only, on the same "
        "scale as the score on everything you may see. The difference is what partners add.",
    },
    "rank_change": {
        "nl": "**Rangverandering**: rang in de categorie nu tegenover de vorige periode van "
        "gelijke lengte (▲ gestegen, ▼ gedaald, nieuw: toen niet in beeld).",
        "en": "**Rank change**: rank within the category now against the previous period of "
        "equal length (▲ up, ▼ down, new: not in view then).",
    },
    "entity_page": {
        "nl": "**Entiteit**: alles wat u van deze onderneming, persoon (pseudoniem), rekening of "
        "schip mag zien. Het openen van deze pagina wordt vastgelegd in de audittrail.",
        "en": "**Entity**: everything you may see of this company, person (pseudonym), account "
        "or vessel. Opening this page is recorded in the audit trail.",
    },
    "map_hexagons": {
        "nl": "**Zeshoeken**: signalen met een plaats, opgeteld per H3-cel (fijn: resolutie 7, "
        "ca. 5 km²; grof: resolutie 5, ca. 250 km²). Kleur: intensiteit op logaritmische schaal.",
        "en": "**Hexagons**: signals with a place, summed per H3 cell (fine: resolution 7, about "
        "5 km²; coarse: resolution 5, about 250 km²). Colour: intensity on a log scale.",
    },
    "map_flows": {
        "nl": "**Stromen**: signalen met een haven van herkomst in het buitenland en een "
        "Nederlandse haven; smokkel (drugs, mensenhandel) en geld en handel (witwassen, o.a. "
        "handelsgebonden). Dikte: aantal signalen.",
        "en": "**Flows**: signals with a port of origin abroad and a Dutch port; smuggling "
        "(drugs, trafficking) and money and trade (laundering, incl. trade-based). Width: number "
        "of signals.",
    },
    "entities": {
        "nl": "**Unieke entiteiten**: het aantal verschillende personen (pseudoniemen), bedrijven, "
        "rekeningen en schepen gekoppeld aan de signalen in de cel; wie in meer signalen "
        "voorkomt telt één keer.",
        "en": "**Distinct entities**: the number of different persons (pseudonyms), companies, "
        "accounts and vessels linked to the signals in the cell; an entity in several signals "
        "counts once.",
    },
    "agencies_contributing": {
        "nl": "**Bijdragende partners**: het aantal verschillende partners dat signalen in de cel "
        "heeft aangeleverd.",
        "en": "**Contributing partners**: the number of different partners that delivered "
        "signals in the cell.",
    },
    "change": {
        "nl": "**Verandering**: de waarde in de gekozen periode min die in de even lange periode "
        "direct ervoor (per maand: dezelfde maand van die periode), absoluut en in procenten.",
        "en": "**Change**: the value in the chosen period minus that in the equally long period "
        "just before (by month: the same month of that period), absolute and in percent.",
    },
    "anomaly": {
        "nl": "**Afwijking**: een maand die significant boven de verwachte waarde ligt "
        "(zie de methode onderaan de pagina).",
        "en": "**Anomaly**: a month significantly above its expected value (see the method at "
        "the bottom of the page).",
    },
}


def definitions(keys: list[str], lang: str, extra: list[str] | None = None) -> None:
    """The popover; `extra` adds page-specific definitions (already in the viewer's language)."""
    with st.popover(t("definitions", lang), icon=":material/help:"):
        for key in keys:
            st.markdown(DEFINITIONS[key].get(lang) or DEFINITIONS[key]["nl"])
        for text in extra or []:
            st.markdown(text)
