import pandas as pd
import streamlit as st

from explorer.ui.connection import require_graph

st.title("Overview")
graph = require_graph()
labels = {k: v for k, v in graph.label_counts().items() if v}
if not labels:
    st.info("The graph is empty: load an export with `python -m loaders load FILE` or `make demo`.")
    st.stop()
left, right = st.columns(2)
left.subheader("Entities")
left.dataframe(pd.DataFrame(labels.items(), columns=["label", "count"]), hide_index=True, key="overview_labels")
right.subheader("Links and events")
rels = {k: v for k, v in graph.relationship_counts().items() if v}
right.dataframe(pd.DataFrame(rels.items(), columns=["type", "count"]), hide_index=True, key="overview_rels")
