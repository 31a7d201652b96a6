import streamlit as st

from explorer.ui import loading
from explorer.ui.connection import run_page
from explorer.ui.i18n import t


def body(graph):
    st.title(t("page.load"))
    loading.load_page(graph)


run_page(body)
