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
