"""Explore the world's largest cities: filter in the sidebar, read the totals, download."""

from pathlib import Path

import pandas as pd
import streamlit as st

DATA = Path(__file__).parent / "cities.csv"


@st.cache_data
def load_cities(path):
    frame = pd.read_csv(path)
    frame["density"] = (frame["population"] * 1_000_000 / frame["area_km2"]).round().astype(int)
    return frame


st.title("City explorer")
cities = load_cities(DATA)
st.caption(f"{len(cities)} cities, populations in millions (metropolitan areas)")

continents = sorted(cities["continent"].unique())
with st.sidebar:
    st.header("Filters")
    chosen = st.multiselect("Continents", continents, default=continents)
    min_population = st.slider("Minimum population", 0.0, 40.0, 10.0, step=0.5)
    sort_by = st.selectbox("Sort by", ["population", "density", "area_km2", "city"])
    descending = st.checkbox("Descending", value=True)

shown = cities[cities["continent"].isin(chosen) & (cities["population"] >= min_population)]
shown = shown.sort_values(sort_by, ascending=not descending)

left, middle, right = st.columns(3)
left.metric("Cities", len(shown))
middle.metric("People", f"{shown['population'].sum():.1f} M")
right.metric("Median density", f"{shown['density'].median():,.0f} /km²" if len(shown) else "—")

if shown.empty:
    st.warning("No city matches these filters.")
    st.stop()

st.dataframe(shown, hide_index=True)
top = shown.iloc[0]
st.write(f"First by {sort_by}: **{top['city']}**, {top['country']}")

st.subheader("Population by city")
st.bar_chart(shown, x="city", y="population")

by_continent = shown.groupby("continent")["population"].agg(["count", "sum"])
st.subheader("By continent")
st.table(by_continent.rename(columns={"count": "cities", "sum": "people (M)"}))

st.download_button("Download CSV", shown.to_csv(index=False), file_name="cities.csv",
                   mime="text/csv")
