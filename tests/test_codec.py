from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from watchfloor import codec
from watchfloor.model import Claim, EntityRef, Modality, Precision, Quantity, Span, TimeValue

spans = st.builds(Span, st.text(min_size=1, max_size=5), st.integers(0, 10**6), st.integers(0, 10**6), st.text())
refs = st.builds(EntityRef, st.text(), st.text(), st.sampled_from(["country", "person", "outlet"]))
times = st.builds(TimeValue, st.dates(), st.dates(), st.sampled_from(list(Precision)), st.text())
quantities = st.builds(Quantity, spans, st.none() | st.floats(allow_nan=False), st.none() | st.floats(allow_nan=False),
                       st.none() | st.floats(allow_nan=False), st.text(), st.booleans(), st.none() | spans,
                       st.none() | refs, st.none() | st.integers(0, 5))
claims = st.builds(Claim, st.text(), spans, spans, st.sampled_from(list(Modality)),
                   st.sampled_from(["positive", "negative"]), st.lists(refs, max_size=3).map(tuple),
                   st.none() | refs, st.none() | quantities, st.none() | times)


@given(claims)
def test_claim_round_trip(claim: Claim) -> None:
    assert codec.loads(Claim, codec.dumps(claim)) == claim


def test_dates_round_trip() -> None:
    value = TimeValue(date(2024, 10, 1), date(2024, 10, 31), Precision.MONTH, "October")
    assert codec.loads(TimeValue, codec.dumps(value)) == value


#: figures as an analysis may give them: whole numbers as ints, which JSON keeps and the loader makes floats
numbers = st.none() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False)
mixed_claims = st.builds(Claim, st.text(), spans, spans, st.sampled_from(list(Modality)),
                         st.sampled_from(["positive", "negative"]), st.lists(refs, max_size=3).map(tuple),
                         st.none() | refs, st.none() | st.builds(Quantity, spans, numbers, numbers, numbers, st.text(),
                                                                 st.booleans()), st.none() | times)


@given(mixed_claims)
def test_exact_is_the_record_read_back(claim: Claim) -> None:
    """Types included: ``100 == 100.0``, so the repr (which writes them apart) is compared, not only the values."""
    back = codec.loads(Claim, codec.dumps(claim))
    assert repr(codec.exact(claim)) == repr(back)
    if repr(back) == repr(claim):
        assert codec.exact(claim) is claim  # nothing to change: the same record, not a copy


def test_exact_makes_whole_figures_floats() -> None:
    span = Span("d", 0, 3, "100")
    quantity = Quantity(span, 100, 90, None, "troop", True)
    fixed = codec.exact(Claim("100 troops", span, span, Modality.ASSERTED, "positive", (), None, quantity, None))
    assert fixed.quantity is not None
    assert (type(fixed.quantity.value), type(fixed.quantity.low), fixed.quantity.high) == (float, float, None)
