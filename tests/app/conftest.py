"""AppTest runs every app in this process, so Streamlit's caches would carry one test's graph into the next."""

import pytest
import streamlit as st


@pytest.fixture(autouse=True)
def fresh_streamlit_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()
