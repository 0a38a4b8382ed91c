"""Online search of the whole ward, for a household outside the phone's copy: the same match
(every word) and the same order (households/ranking.py, then by search text) as the phone's own
search (static/js/store.js), answered in the pull's row format so the phone can log for it
(GET /api/v1/households/search, sync/api_lookup.py). The phone keeps the rows for the day only."""

from core.text import normalize
from households import queries
from households.ranking import rank

LIMIT = 30
MAX_MATCHES = 1000


def search_text(household, residents) -> str:
    """The phone's searchText(): head, address, phone and residents' names, normalised."""
    parts = [household.head_name, household.address, household.phone]
    parts += [r.full_name for r in residents]
    return normalize(" ".join(p for p in parts if p))


def order_key(text: str, household, residents) -> tuple[int, str]:
    """Exact and prefix matches first (households/ranking.py), then as the phone sorts."""
    place = rank(
        text,
        head_name=household.head_name,
        address=household.address,
        phone=household.phone,
        names=[r.full_name for r in residents],
    )
    return place, search_text(household, residents)


def ward_lookup(db, *, ward_id: int, text: str, limit: int = LIMIT) -> dict:
    rows, _total = queries.search_households(db, ward_id=ward_id, text=text, page_size=MAX_MATCHES)
    households = [household for household, _group in rows]
    people = queries.residents_of(db, [h.id for h in households])
    ranked = sorted(households, key=lambda h: order_key(text, h, people[h.id]))
    shown = ranked[:limit]
    return {
        "total": len(ranked),
        "households": [
            {
                "id": h.id,
                "uuid": h.uuid,
                "group_id": h.group_id,
                "address": h.address,
                "head_name": h.head_name,
                "phone": h.phone,
                "consent": h.consent,
            }
            for h in shown
        ],
        "residents": [
            {
                "uuid": r.uuid,
                "household_uuid": h.uuid,
                "full_name": r.full_name,
                "birth_year": r.birth_year,
                "eid_level": r.eid_level,
            }
            for h in shown
            for r in people[h.id]
        ],
    }
