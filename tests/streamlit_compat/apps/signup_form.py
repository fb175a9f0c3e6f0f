"""A sign-up form: nothing reruns while it is filled in; Sign up validates and records."""

import datetime as dt
import re

import pandas as pd
import streamlit as st

PLANS = {"Free": 0, "Reader": 5, "Bookworm": 12}
GENRES = ["Fiction", "History", "Science", "Poetry", "Travel"]
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")

st.title("Join the reading club")
st.markdown("Members meet on the first Tuesday of each month.")

if "members" not in st.session_state:
    st.session_state.members = []

with st.form("signup", clear_on_submit=True):
    name = st.text_input("Name")
    email = st.text_input("Email", placeholder="you@example.org")
    born = st.date_input("Date of birth", value=dt.date(2000, 1, 1),
                         min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31))
    plan = st.radio("Plan", list(PLANS), format_func=lambda p: f"{p} (${PLANS[p]}/month)",
                    horizontal=True)
    genres = st.multiselect("Favourite genres", GENRES)
    notes = st.text_area("Anything we should know?")
    agreed = st.checkbox("I accept the club rules")
    submitted = st.form_submit_button("Sign up")

if submitted:
    problems = []
    if not name.strip():
        problems.append("Please enter your name.")
    if not EMAIL.fullmatch(email):
        problems.append(f"'{email}' is not an email address.")
    if (dt.date(2026, 1, 1) - born).days < 16 * 365:
        problems.append("Members must be 16 or older.")
    if not agreed:
        problems.append("Please accept the club rules.")
    if any(member["email"] == email for member in st.session_state.members):
        problems.append(f"{email} is already a member.")
    for problem in problems:
        st.error(problem)
    if not problems:
        st.session_state.members.append({
            "name": name.strip(),
            "email": email,
            "plan": plan,
            "genres": ", ".join(genres) or "-",
            "notes": len(notes),
        })
        st.success(f"Welcome, {name.strip()}! You joined on the {plan} plan.")

members = st.session_state.members
st.subheader(f"Members ({len(members)})")
if members:
    st.table(pd.DataFrame(members).drop(columns="notes"))
    monthly = sum(PLANS[member["plan"]] for member in members)
    st.metric("Monthly fees", f"${monthly}")
else:
    st.write("No members yet.")
