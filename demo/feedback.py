"""The demo's residents' ratings: some residents rate the help when the volunteer hands the phone
over (at home and at the desk), others use the desk's public page; mostly pleased, a few not,
with the odd comment."""

import random
from datetime import time, timedelta

from sqlalchemy import insert
from sqlmodel import Session, select

from assistance.models import AssistanceRecord, Place
from core import clock
from core.clock import as_utc
from core.ids import uuid7
from feedback.models import Feedback, Source

FACES = [1, 2, 3, 4, 5]
WEIGHTS = {Place.HOME: [2, 3, 9, 31, 55], Place.DESK: [3, 5, 14, 36, 42]}
COMMENTS = {
    5: [
        "Các em tình nguyện viên nhiệt tình, chỉ dẫn rất dễ hiểu.",
        "Cảm ơn các bạn đã đến tận nhà giúp ông bà.",
        "Làm nhanh, không phải đi lại nhiều lần.",
    ],
    4: [
        "Hướng dẫn kỹ, nhưng phải chờ hơi lâu.",
        "Tốt, mong có thêm buổi tối cho người đi làm.",
    ],
    3: ["Bình thường, mạng hơi chậm.", "Cần hướng dẫn chậm hơn cho người lớn tuổi."],
    2: ["Phải chờ lâu ở bộ phận một cửa."],
    1: ["Ứng dụng báo lỗi, chưa làm được."],
}
RATED_SHARE = 0.22  # of the visits' records, the residents who took the phone
COMMENT_SHARE = 0.18


def _row(rng, *, ward_id, source, place, at, kind=None, record_uuid=None) -> dict:
    rating = rng.choices(FACES, WEIGHTS.get(place, WEIGHTS[Place.DESK]))[0]
    comment = rng.choice(COMMENTS[rating]) if rng.random() < COMMENT_SHARE else None
    return {
        "uuid": uuid7(at=at, rng=rng),
        "ward_id": ward_id,
        "source": source,
        "place": place,
        "kind": kind,
        "record_uuid": record_uuid,
        "rating": rating,
        "comment": comment,
        "screened": False,
        "given_at": at,
    }


def build_demo_feedback(db: Session, *, seed: int, ward_id: int) -> dict[str, int]:
    rng = random.Random(seed + 21)
    records = db.exec(
        select(
            AssistanceRecord.uuid,
            AssistanceRecord.place,
            AssistanceRecord.kind,
            AssistanceRecord.client_time,
        )
        .where(AssistanceRecord.ward_id == ward_id, AssistanceRecord.deleted_at.is_(None))
        .order_by(AssistanceRecord.id)
    ).all()
    rows = []
    desk_days = set()
    for record_uuid, place, kind, at in records:
        at = as_utc(at)
        if place == Place.DESK:
            desk_days.add(clock.local_date(at))
        if rng.random() < RATED_SHARE:
            given = at + timedelta(minutes=rng.randint(1, 4))
            rows.append(
                _row(
                    rng,
                    ward_id=ward_id,
                    source=Source.VISIT,
                    place=place,
                    at=given,
                    kind=kind,
                    record_uuid=record_uuid,
                )
            )
    now = clock.now()
    for day in sorted(desk_days):  # the public page behind the desk's QR code
        for _ in range(rng.randint(0, 3)):
            at = clock.to_utc(day, time(rng.randint(8, 16), rng.randint(0, 59)))
            if at <= now:
                rows.append(_row(rng, ward_id=ward_id, source=Source.DESK, place=Place.DESK, at=at))
    if rows:
        db.execute(insert(Feedback), rows)
        db.flush()
    return {
        "ratings": len(rows),
        "comments": sum(1 for row in rows if row["comment"]),
        "desk": sum(1 for row in rows if row["source"] == Source.DESK),
    }
