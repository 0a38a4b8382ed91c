"""The ward's procedure catalogue, seeded the first time a ward uses it."""

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from assistance.models import Mode, Procedure
from core import audit, clock
from core.text import normalize

# Common ward-level online procedures (code, name, usual mode). The ward edits its own copy.
SEED = [
    ("khai_sinh", "Đăng ký khai sinh", Mode.FULL),
    ("khai_tu", "Đăng ký khai tử", Mode.FULL),
    ("ket_hon", "Đăng ký kết hôn", Mode.PARTIAL),
    ("xac_nhan_hon_nhan", "Cấp giấy xác nhận tình trạng hôn nhân", Mode.FULL),
    ("trich_luc_ho_tich", "Cấp bản sao trích lục hộ tịch", Mode.FULL),
    ("thuong_tru", "Đăng ký thường trú", Mode.FULL),
    ("tam_tru", "Đăng ký tạm trú", Mode.FULL),
    ("chung_thuc", "Chứng thực bản sao từ bản chính", Mode.PARTIAL),
    ("ho_kinh_doanh", "Đăng ký hộ kinh doanh", Mode.FULL),
    ("tro_cap_xa_hoi", "Trợ cấp xã hội hằng tháng", Mode.PARTIAL),
]
FIELDS = ["code", "name", "mode", "active", "position"]


def ensure_seeded(db: Session, ward_id: int) -> None:
    """Give a ward the common procedures the first time it has none at all (retired ones count).

    The caller commits."""
    if db.exec(select(func.count()).where(Procedure.ward_id == ward_id)).one():
        return
    try:
        with db.begin_nested():
            for position, (code, name, mode) in enumerate(SEED):
                db.add(
                    Procedure(ward_id=ward_id, code=code, name=name, mode=mode, position=position)
                )
    except IntegrityError:
        pass  # another request seeded the same ward a moment ago


def procedures(db: Session, *, ward_id: int, active_only: bool = False) -> list[Procedure]:
    query = select(Procedure).where(Procedure.ward_id == ward_id)
    if active_only:
        query = query.where(Procedure.active)
    return list(db.exec(query.order_by(Procedure.position, Procedure.name)).all())


def save_procedure(db: Session, procedure: Procedure, values: dict, *, actor_id: int) -> None:
    before = {} if procedure.id is None else audit.snapshot(procedure, FIELDS)
    for name, value in values.items():
        setattr(procedure, name, value)
    procedure.updated_at = clock.now()
    db.add(procedure)
    db.flush()
    audit.record(
        db,
        actor_id=actor_id,
        ward_id=procedure.ward_id,
        entity="procedure",
        entity_id=procedure.id,
        action="update" if before else "create",
        changes=audit.diff(before, audit.snapshot(procedure, FIELDS)),
    )


def new_code(db: Session, ward_id: int, name: str) -> str:
    """A stable code from the name (kept when the name is later edited), unique in the ward."""
    base = (normalize(name).replace(" ", "_") or "thu_tuc")[:32]
    taken = set(db.exec(select(Procedure.code).where(Procedure.ward_id == ward_id)).all())
    code, number = base, 2
    while code in taken:
        code, number = f"{base}_{number}", number + 1
    return code
