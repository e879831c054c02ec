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
}


def definitions(keys: list[str], lang: str) -> None:
    with st.popover(t("definitions", lang), icon=":material/help:"):
        for key in keys:
            st.markdown(DEFINITIONS[key].get(lang) or DEFINITIONS[key]["nl"])
