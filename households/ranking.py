"""The order of household search results: the household a volunteer typed in full comes first.

One rule for the whole app, written three times: `rank` for the server's online lookup
(sync/lookup.py), `rank_order` for the registry's SQL search (households/queries.py), and `rank`
in static/js/store.js for the phone's offline search. tests/search_rank_cases.json holds
the cases both must agree on (tests/test_search_rank.py and tests/e2e/test_log_feedback.py).
"""

from collections.abc import Iterable

from sqlalchemy import case, exists, or_

from core.text import normalize
from households.models import Household, Resident

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


def rank_order(query: str, escape_like):
    """`rank` as an SQL expression on Household, for ORDER BY; None without a query."""
    q = normalize(query)
    if not q:
        return None
    prefix = f"{escape_like(q)}%"

    def resident(condition):
        where = (Resident.household_id == Household.id, Resident.deleted_at.is_(None))
        return exists().where(*where, condition)

    return case(
        (Household.head_name_norm == q, HEAD_EXACT),
        (
            or_(
                Household.address_norm == q, Household.phone == q, resident(Resident.name_norm == q)
            ),
            OTHER_EXACT,
        ),
        (Household.head_name_norm.like(prefix, escape="\\"), HEAD_PREFIX),
        (
            or_(
                Household.address_norm.like(prefix, escape="\\"),
                resident(Resident.name_norm.like(prefix, escape="\\")),
            ),
            OTHER_PREFIX,
        ),
        else_=ELSEWHERE,
    )
