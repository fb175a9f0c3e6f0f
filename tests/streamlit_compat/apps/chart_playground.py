"""Pick a dataset and a chart type and see the same data drawn each way."""

import numpy as np
import pandas as pd
import streamlit as st

CHARTS = {
    "Line": st.line_chart,
    "Area": st.area_chart,
    "Bar": st.bar_chart,
    "Scatter": st.scatter_chart,
}


def random_walk(points, series, rng):
    return pd.DataFrame(rng.normal(0, 1, (points, series)).cumsum(axis=0),
                        columns=[f"walk {i + 1}" for i in range(series)])


def seasonal(points, series, rng):
    t = np.arange(points)
    return pd.DataFrame({f"store {i + 1}": 10 + 3 * np.sin(2 * np.pi * (t + 3 * i) / 12)
                         + rng.normal(0, 0.5, points) for i in range(series)})


def waves(points, series, rng):
    t = np.linspace(0, 2 * np.pi, points)
    return pd.DataFrame({f"harmonic {i + 1}": np.sin((i + 1) * t) / (i + 1)
                         for i in range(series)})


DATASETS = {"Random walk": random_walk, "Seasonal sales": seasonal, "Waves": waves}

st.title("Chart playground")

settings, preview = st.columns([1, 3])
with settings:
    dataset = st.selectbox("Dataset", list(DATASETS))
    chart = st.selectbox("Chart", list(CHARTS))
    points = st.slider("Points", 10, 200, 50, step=10)
    series = st.number_input("Series", 1, 5, 2)
    seed = st.number_input("Seed", 0, 100, 0)
    colour = st.color_picker("Colour of a single series", "#1f77b4")

data = DATASETS[dataset](points, series, np.random.default_rng(seed))
options = {"color": colour} if series == 1 else {}
if chart == "Bar" and series > 1:
    options["stack"] = st.toggle("Stack the bars", value=True)

with preview:
    st.subheader(f"{dataset}: {chart.lower()} chart")
    CHARTS[chart](data, **options)
    arguments = "".join(f", {name}={value!r}" for name, value in options.items())
    st.code(f"st.{chart.lower()}_chart(data{arguments})", language="python")

stats = data.describe().T[["mean", "min", "max"]].round(2)
st.dataframe(stats)
st.write("Largest value:", float(data.max().max().round(3)), "in", data.max().idxmax())
