"""A sales dashboard: headline numbers against the previous period, trends and a breakdown."""

import datetime as dt

import numpy as np
import pandas as pd
import streamlit as st

REGIONS = ["North", "South", "East", "West"]
PRICES = {"Notebooks": 6.5, "Pens": 1.2, "Paper": 4.0, "Folders": 2.5}
PERIODS = {"Last 7 days": 7, "Last 30 days": 30, "Last 90 days": 90}


@st.cache_data
def load_orders(days=180, seed=2024):
    rng = np.random.default_rng(seed)
    grid = pd.MultiIndex.from_product(
        [pd.date_range("2026-01-01", periods=days).date, REGIONS, list(PRICES)],
        names=["date", "region", "product"],
    ).to_frame(index=False)
    day = np.repeat(np.arange(days), len(REGIONS) * len(PRICES))
    grid["orders"] = rng.poisson(12 + 4 * np.sin(day / 9))
    grid["revenue"] = (grid["orders"] * grid["product"].map(PRICES)
                       * rng.uniform(0.9, 1.1, len(grid))).round(2)
    return grid


orders = load_orders()
st.title("Sales dashboard")

top_left, top_right = st.columns([2, 1])
region = top_left.selectbox("Region", ["All regions", *REGIONS])
period = top_right.radio("Period", list(PERIODS), index=1)
days = PERIODS[period]

if region != "All regions":
    orders = orders[orders["region"] == region]
last_day = orders["date"].max()
current = orders[orders["date"] > last_day - dt.timedelta(days=days)]
previous = orders[(orders["date"] <= last_day - dt.timedelta(days=days))
                  & (orders["date"] > last_day - dt.timedelta(days=2 * days))]


def change(now, before):
    return f"{(now - before) / before:+.1%}" if before else None


revenue, count, average = st.columns(3)
revenue.metric("Revenue", f"${current['revenue'].sum():,.0f}",
               change(current["revenue"].sum(), previous["revenue"].sum()))
count.metric("Orders", f"{current['orders'].sum():,}",
             change(current["orders"].sum(), previous["orders"].sum()))
avg_now = current["revenue"].sum() / max(current["orders"].sum(), 1)
avg_before = previous["revenue"].sum() / max(previous["orders"].sum(), 1)
average.metric("Average order", f"${avg_now:.2f}", change(avg_now, avg_before))

trend_tab, product_tab, data_tab = st.tabs(["Trend", "Products", "Data"])
with trend_tab:
    daily = current.groupby("date")[["revenue"]].sum()
    smooth = st.toggle("7-day average")
    if smooth:
        daily = daily.rolling(7, min_periods=1).mean()
    st.area_chart(daily)
with product_tab:
    by_product = current.groupby("product")[["orders", "revenue"]].sum().reset_index()
    st.bar_chart(by_product, x="product", y="revenue")
    best = by_product.sort_values("revenue", ascending=False).iloc[0]
    st.write(f"Best seller: **{best['product']}** with ${best['revenue']:,.0f}")
with data_tab:
    st.dataframe(current.sort_values("date", ascending=False), hide_index=True)

with st.expander("About this data"):
    st.markdown(f"Synthetic orders for {len(REGIONS)} regions and {len(PRICES)} products, "
                f"up to {last_day:%d %B %Y}.")
    st.json({"rows": len(orders), "regions": REGIONS, "products": list(PRICES)})
