"""Criminal network explorer: the core package (no Streamlit outside explorer.ui)."""

__version__ = "0.1.0"
