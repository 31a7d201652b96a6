"""Streamlit entry point: a router over pages/ with the shared sidebar."""

import streamlit as st

from explorer.db import describe
from explorer.exceptions import ExplorerError
from explorer.ui import connection

st.set_page_config(page_title="Criminal Network Explorer", page_icon=":material/hub:", layout="wide")

pages = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
]
navigation = st.navigation(pages)
connection.sidebar()
try:
    navigation.run()
except ExplorerError as e:
    # Any domain error on any page becomes one sentence, never a traceback.
    st.error(describe(e))
