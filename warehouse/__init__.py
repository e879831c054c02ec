"""The warehouse: models, engine, migrations, rollups and query functions. No Streamlit here."""
