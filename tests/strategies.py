"""Hypothesis strategies for news-like text, shared by tests/test_properties.py and bench/fuzz.py."""

from __future__ import annotations

from hypothesis import strategies as st

FRAGMENTS = [
    "The Xiaomi 14", "Xiaomi Mi 14", "the Galaxy S24", "Samsung", "Tesla", "Apple", "JWST",
    "launched on", "went on sale", "was priced at", "costs", "starting price of", "sold",
    "revenue rose", "market share", "grew by", "fell", "up", "about", "nearly", "more than",
    "October 26, 2023", "26 October 2023", "Oct. 26", "2023-10-26", "2024/01/29", "in 2023",
    "last year", "next month", "this week", "two years ago", "March", "May", "may", "June 5th",
    "2012-13", "1990s", "Q3", "3,999 yuan", "¥3999", "RMB 5,999", "$799.99", "US$1.5 billion",
    "€1.2bn", "£5m", "5m", "1,500m", "Rs. 50,000", "₹80,000", "HK$6,999", "20%", "12.5 per cent",
    "three million", "a dozen", "half a million", "tens of thousands", "twice", "3x", "10-fold",
    "100m tall", "24 hours", "a decade", "0.5", "-3", "1e9", "10,00,000", "٣٬٩٩٩", "３９９９元",
    "Buy now on Tmall", "JD.com", "limited stock", "doctors recommend", "Liver Formula",
    "Updated on 2024-01-29", "said", "\"", "“", "”", "(", ")", "—", "&amp;", "<p>", "e.g.",
]
SEPARATORS = [" ", " ", " ", ", ", ". ", "! ", "? ", "\n", "\n\n", "", "-", "/", "\t", ": "]


@st.composite
def news_text(draw, max_parts: int = 40) -> str:
    parts = draw(st.lists(st.tuples(
        st.one_of(st.sampled_from(FRAGMENTS), st.integers(-10**12, 10**12).map(str),
                  st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
                  st.dates().map(str), st.text(max_size=6)),
        st.sampled_from(SEPARATORS)), max_size=max_parts))
    return "".join(a + b for a, b in parts)
