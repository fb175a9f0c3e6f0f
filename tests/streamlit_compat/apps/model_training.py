"""Fit a polynomial to noisy data by gradient descent.

Training is cached on its inputs: pressing Train again with the same settings returns at
once, and every run is kept in the session so that runs can be compared.
"""

import numpy as np
import pandas as pd
import streamlit as st


@st.cache_data
def make_data(points, noise, seed):
    rng = np.random.default_rng(seed)
    x = np.linspace(-2.0, 2.0, points)
    y = 0.5 * x**3 - x**2 + 2.0 + rng.normal(0.0, noise, points)
    return pd.DataFrame({"x": x, "y": y})


@st.cache_data(show_spinner="Training...")
def train(data, degree, epochs, learning_rate):
    features = np.vander(data["x"].to_numpy() / 2.0, degree + 1, increasing=True)
    target = data["y"].to_numpy()
    weights = np.zeros(degree + 1)
    losses = []
    for _ in range(epochs):
        error = features @ weights - target
        losses.append(float(np.mean(error**2)))
        weights -= learning_rate * 2.0 * features.T @ error / len(target)
    return weights, losses


st.title("Polynomial regression")

with st.sidebar:
    st.header("Data")
    points = st.slider("Points", 20, 400, 100, step=20)
    noise = st.number_input("Noise", 0.0, 3.0, 0.5, step=0.1)
    seed = st.number_input("Seed", 0, 9999, 7)
    st.header("Model")
    degree = st.select_slider("Degree", options=[1, 2, 3, 4, 5], value=3)
    epochs = st.number_input("Epochs", 10, 5000, 500, step=10)
    learning_rate = st.select_slider("Learning rate", options=[0.01, 0.05, 0.1, 0.2], value=0.1)

data = make_data(points, noise, seed)
st.scatter_chart(data, x="x", y="y")

if "runs" not in st.session_state:
    st.session_state.runs = []

if st.button("Train", type="primary"):
    weights, losses = train(data, degree, epochs, learning_rate)
    st.session_state.runs.append({
        "degree": degree,
        "epochs": epochs,
        "learning rate": learning_rate,
        "loss": round(losses[-1], 4),
    })
    st.session_state.losses = losses
    st.session_state.weights = weights

runs = st.session_state.runs
if not runs:
    st.info("Choose the settings in the sidebar, then press **Train**.")
else:
    last = runs[-1]
    before = runs[-2]["loss"] if len(runs) > 1 else None
    loss_col, runs_col = st.columns(2)
    loss_col.metric("Final loss", f"{last['loss']:.4f}",
                    delta=None if before is None else f"{last['loss'] - before:+.4f}",
                    delta_color="inverse")
    runs_col.metric("Runs", len(runs))
    st.line_chart(pd.DataFrame({"loss": st.session_state.losses}), y="loss")
    terms = " + ".join(f"{w:.2f}·x^{i}" for i, w in enumerate(st.session_state.weights))
    st.latex(terms.replace("·", r" \cdot "))
    st.table(pd.DataFrame(runs))
    if last["loss"] > 1.0:
        st.warning("The loss is still high: try more epochs or a larger learning rate.")
    else:
        st.success(f"Converged after {last['epochs']} epochs.")
