"""The order of household search results: the household a volunteer typed in full comes first.

One rule for the whole app, implemented twice because the phone searches offline: here for the
server (sync/lookup.py) and as `rank` in static/js/store.js. tests/search_rank_cases.json holds
the cases both must agree on (tests/test_search_rank.py and tests/e2e/test_log_feedback.py).
"""

from collections.abc import Iterable

from core.text import normalize

HEAD_EXACT, OTHER_EXACT, HEAD_PREFIX, OTHER_PREFIX, ELSEWHERE = range(5)


def rank(
    query: str,
    *,
    head_name: str | None,
    address: str | None,
    phone: str | None,
    names: Iterable[str | None],
) -> int:
    """0 the head's name is the query, 1 a resident's name, the address or the phone is, 2 the
    head's name starts with it, 3 a resident's name or the address does, 4 it is found elsewhere.
    Lower case and without diacritics, like the match itself."""
    q = normalize(query)
    head = normalize(head_name)
    others = [normalize(n) for n in names] + [normalize(address)]
    if not q:
        return ELSEWHERE
    if head == q:
        return HEAD_EXACT
    if q in others or normalize(phone) == q:
        return OTHER_EXACT
    if head.startswith(q):
        return HEAD_PREFIX
    if any(other.startswith(q) for other in others):
        return OTHER_PREFIX
    return ELSEWHERE
