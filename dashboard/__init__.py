"""The Streamlit shell and the `nsoc` command line."""
