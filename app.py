"""Streamlit entry point: a router over pages/ with the shared sidebar."""

import streamlit as st

from explorer.db import describe
from explorer.exceptions import ExplorerError
from explorer.ui import alerts, connection, login, router
from explorer.ui.graph import cap_setting
from explorer.ui.i18n import language_from_address, language_in_address, language_switch, t
from explorer.ui.markdown import escape

language_from_address()  # before the page's title is set, so that the tab reads in it too
st.set_page_config(page_title=t("app.title"), page_icon=":material/hub:", layout="wide")

language_switch()
# (permission, page): a page is only registered for users whose role allows it, so it cannot be reached by URL.
PAGES = [
    ("investigations", st.Page("pages/overview.py", title=t("page.overview"), icon=":material/dashboard:", default=True)),
    ("investigations", st.Page("pages/investigations.py", title=t("page.investigations"), icon=":material/manage_search:")),
    ("explore", st.Page("pages/explore.py", title=t("page.explore"), icon=":material/travel_explore:")),
    ("explore", st.Page("pages/profile.py", title=t("page.profile"), icon=":material/badge:")),
    ("investigations", st.Page("pages/rings.py", title=t("page.rings"), icon=":material/hub:")),
    ("load", st.Page("pages/load.py", title=t("page.load"), icon=":material/upload_file:")),
    ("console", st.Page("pages/console.py", title=t("page.console"), icon=":material/terminal:")),
    ("watchlist", st.Page("pages/watchlist.py", title=t("page.watchlist"), icon=":material/visibility:")),
    ("alerts", st.Page("pages/alerts.py", title=t("page.alerts"), icon=":material/notifications:")),
    ("explore", st.Page("pages/map_timeline.py", title=t("page.map"), icon=":material/map:")),
    ("centres", st.Page("pages/centres.py", title=t("page.centres"), icon=":material/share_location:")),
    ("audit", st.Page("pages/audit.py", title=t("page.audit"), icon=":material/policy:")),
]  # fmt: skip
signed_in = login.current_user()
if signed_in is None:
    navigation = st.navigation([st.Page(login.require_login, title=t("login.title"), icon=":material/login:")])
else:
    navigation = st.navigation([page for permission, page in PAGES if signed_in.can(permission)])
router.router_ran()
language_in_address()
# Before anything else: with users configured, nothing below runs until someone signs in.
user = login.require_login()
login.sidebar(user)
connection.sidebar()
alerts.sidebar(user)
cap_setting()
try:
    navigation.run()
except ExplorerError as e:
    # Any domain error on any page becomes one sentence, never a traceback.
    st.error(escape(describe(e)))
