"""Agency deliveries: read, validate, pseudonymise, stage and load batches of signals, and
resolve the entities they mention across agencies. No Streamlit here."""
