"""`set_value().run()` on a 22-element app: rerunkernel's AppTest next to Streamlit's.

The same script runs under both (`import ... as st`), in this one process, alternating, so
machine noise hits both alike. Streamlit is a benchmark-only dependency
(`pip install 'rerunkernel[bench]'`).

    .venv/bin/python bench/apptest.py [--runs 60]
"""

from __future__ import annotations

import argparse
import statistics
import time

APP = """import {module} as st
st.markdown('# Twenty-two elements')
x = st.slider('x', 0, 100, 0)
for i in range(20):
    st.write(f'row {{i}}:', x * i)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()

    from streamlit.testing.v1 import AppTest as StreamlitAppTest

    from rerunkernel.testing import AppTest

    ours = AppTest.from_string(APP.format(module="rerunkernel")).run()
    theirs = StreamlitAppTest.from_string(APP.format(module="streamlit"), default_timeout=30).run()
    for warm in range(3):
        ours.slider("x").set_value(warm).run()
        theirs.slider[0].set_value(warm).run()

    a, b = [], []
    for i in range(args.runs):
        value = 10 + i % 80
        start = time.perf_counter()
        ours.slider("x").set_value(value).run()
        a.append(time.perf_counter() - start)
        start = time.perf_counter()
        theirs.slider[0].set_value(value).run()
        b.append(time.perf_counter() - start)
        assert ours.markdown.values[-1] == f"row 19: {19 * value}"
        assert theirs.markdown[-1].value.replace("`", "") == f"row 19: {19 * value}"
    ma, mb = statistics.median(a) * 1e3, statistics.median(b) * 1e3
    print(f"slider set_value().run() on a 22-element app, median of {args.runs} (ms)")
    print(f"  rerunkernel AppTest {ma:8.2f}")
    print(f"  Streamlit AppTest   {mb:8.2f}")
    print(f"  speed-up            {mb / ma:8.1f}x")


if __name__ == "__main__":
    main()
