"""Import households and residents: check every row first, write only on confirmation."""

import re
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete
from sqlmodel import Session, select

from core import clock
from core.clock import as_utc
from core.text import (
    UnprintableText,
    contains_national_id,
    normalize,
    normalize_phone,
    refuse_unprintable,
)
from households import registry
from households.forms import MIN_BIRTH_YEAR, NATIONAL_ID_REFUSED
from households.models import EidLevel, Household, ImportPreview, ResidentialGroup
from households.queries import live_groups
from households.tabular import read_rows, restore_text

_YES = {"co", "x", "1", "yes", "y", "true", "dong y"}
_NO = {"", "khong", "0", "no", "n", "false"}
_EID = {
    "": EidLevel.NONE,
    "0": EidLevel.NONE,
    "chua co": EidLevel.NONE,
    "khong": EidLevel.NONE,
    "1": EidLevel.LEVEL_1,
    "muc 1": EidLevel.LEVEL_1,
    "level 1": EidLevel.LEVEL_1,
    "2": EidLevel.LEVEL_2,
    "muc 2": EidLevel.LEVEL_2,
    "level 2": EidLevel.LEVEL_2,
}


@dataclass
class PlannedHousehold:
    group_id: int
    group_number: int
    address: str
    head_name: str | None
    phone: str | None
    note: str | None
    consent: bool
    residents: list[dict] = field(default_factory=list)


@dataclass
class RowError:
    row: int
    reasons: list[str]


@dataclass
class ImportPlan:
    households: list[PlannedHousehold] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0

    @property
    def resident_count(self) -> int:
        return sum(len(h.residents) for h in self.households)

    def to_json(self) -> dict:
        return {"households": [asdict(h) for h in self.households], "rows": self.rows}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return restore_text(" ".join(str(value).split()))


def _group_number(text: str) -> int | None:
    """'5', 'Tổ 5' and 'tổ dân phố 5' all name group 5."""
    match = re.fullmatch(r"(?:to(?: dan pho)?\s*)?(\d+)", normalize(text))
    return int(match.group(1)) if match else None


def _restore_leading_zero(phone: str) -> str:
    # A phone typed into Excel as a number loses its leading 0 (905123456).
    return "0" + phone if phone.isdigit() and len(phone) == 9 else phone


def _household_key(group_id: int, address: str, head_name: str | None) -> tuple:
    return (group_id, normalize(address), normalize(head_name))


def existing_household_keys(db: Session, ward_id: int) -> set[tuple]:
    query = (
        select(Household.group_id, Household.address_norm, Household.head_name_norm)
        .join(ResidentialGroup, ResidentialGroup.id == Household.group_id)
        .where(ResidentialGroup.ward_id == ward_id, Household.deleted_at.is_(None))
    )
    return {(gid, address, head or "") for gid, address, head in db.exec(query).all()}


def plan_import(db: Session, *, ward_id: int, filename: str, content: bytes) -> ImportPlan:
    """Raises tabular.UnreadableFile when the file is not a readable table with our columns."""
    keys, rows = read_rows(filename, content)
    groups = {group.number: group for group in live_groups(db, ward_id=ward_id)}
    existing = existing_household_keys(db, ward_id)
    planned: dict[tuple, PlannedHousehold] = {}
    seen_residents: dict[tuple, int] = {}
    plan = ImportPlan()
    this_year = clock.this_year()

    for number, raw in enumerate(rows, start=2):
        cells = {key: _text(value) for key, value in zip(keys, raw, strict=False) if key}
        if not any(cells.values()):
            continue
        plan.rows += 1
        reasons: list[str] = []
        try:
            for value in cells.values():
                refuse_unprintable(value)
        except UnprintableText as error:
            reasons.append(str(error))

        group = None
        group_text = cells.get("group", "")
        group_number = _group_number(group_text)
        if not group_text:
            reasons.append(_("Thiếu số tổ dân phố."))
        elif group_number not in groups:
            reasons.append(_("Không có tổ dân phố “%(group)s” trong phường.", group=group_text))
        else:
            group = groups[group_number]

        address = cells.get("address", "")
        if not address:
            reasons.append(_("Thiếu địa chỉ."))

        consent_text = normalize(cells.get("consent", ""))
        consent = consent_text in _YES
        if consent_text not in _YES | _NO:
            reasons.append(_("Cột Đồng ý phải là “có” hoặc “không”."))

        head_name = cells.get("head_name") or None
        if consent and not head_name:
            reasons.append(_("Hộ đã đồng ý nhưng thiếu tên chủ hộ."))

        phone = None
        if cells.get("phone"):
            phone = normalize_phone(_restore_leading_zero(cells["phone"]))
            if phone is None:
                reasons.append(_("Số điện thoại không hợp lệ: %(phone)s.", phone=cells["phone"]))

        if contains_national_id(cells.get("note")):
            reasons.append(str(NATIONAL_ID_REFUSED))

        resident = None
        full_name = cells.get("full_name") or None
        year_text = cells.get("birth_year", "")
        if full_name or year_text:
            if not year_text.isdigit() or not MIN_BIRTH_YEAR <= int(year_text) <= this_year:
                reasons.append(_("Năm sinh không hợp lệ: “%(year)s”.", year=year_text))
            if consent and not full_name:
                reasons.append(_("Thiếu họ tên người dân."))
            eid = _EID.get(normalize(cells.get("eid", "")))
            if eid is None:
                reasons.append(_("Cột VNeID phải là “chưa có”, “mức 1” hoặc “mức 2”."))
            resident = {
                "full_name": full_name if consent else None,
                "birth_year": int(year_text) if year_text.isdigit() else 0,
                "eid_level": int(eid or 0),
            }

        if group is not None and address:
            key = _household_key(group.id, address, head_name if consent else None)
            if key in existing:
                reasons.append(
                    _("Trùng với hộ đã có trong danh sách: %(address)s.", address=address)
                )
            elif resident and not reasons:
                resident_key = (*key, normalize(full_name), resident["birth_year"])
                if resident_key in seen_residents:
                    reasons.append(
                        _("Trùng với dòng %(row)s của tệp.", row=seen_residents[resident_key])
                    )
                seen_residents.setdefault(resident_key, number)

        if reasons:
            plan.errors.append(RowError(number, reasons))
            continue
        household = planned.setdefault(
            key,
            PlannedHousehold(
                group_id=group.id,
                group_number=group.number,
                address=address,
                head_name=head_name if consent else None,
                phone=phone if consent else None,
                note=(cells.get("note") or None) if consent else None,
                consent=consent,
            ),
        )
        if resident:
            household.residents.append(resident)

    plan.households = list(planned.values())
    return plan


def apply_import(db: Session, *, ward_id: int, planned: list[dict], actor_id: int) -> int:
    """Write a confirmed plan in the caller's transaction; households added since the preview
    are skipped, so confirming twice or re-importing never creates duplicates."""
    existing = existing_household_keys(db, ward_id)
    live_group_ids = {group.id for group in live_groups(db, ward_id=ward_id)}
    created = 0
    for item in planned:
        key = _household_key(item["group_id"], item["address"], item["head_name"])
        if key in existing or item["group_id"] not in live_group_ids:
            continue
        existing.add(key)
        household = registry.create_household(
            db,
            registry.HouseholdData(
                group_id=item["group_id"],
                address=item["address"],
                head_name=item["head_name"],
                phone=item["phone"],
                note=item["note"],
                consent=item["consent"],
            ),
            actor_id=actor_id,
        )
        for resident in item["residents"]:
            registry.create_resident(
                db, household, registry.ResidentData(**resident), actor_id=actor_id
            )
        created += 1
    return created


PREVIEW_LIFETIME = timedelta(days=1)


def keep_preview(
    db: Session, *, plan: ImportPlan, ward_id: int, user_id: int, now: datetime
) -> str:
    """Keep a checked plan until its uploader confirms it; the token names it. Previews never
    confirmed hold residents' names, so older ones than a day go first."""
    db.execute(delete(ImportPreview).where(ImportPreview.created_at < now - PREVIEW_LIFETIME))
    token = secrets.token_urlsafe(16)
    db.add(ImportPreview(token=token, ward_id=ward_id, user_id=user_id, plan=plan.to_json()))
    return token


def take_preview(
    db: Session, token: str | None, *, user_id: int, now: datetime
) -> ImportPreview | None:
    """The caller's own preview under `token`, still fresh; it is used once, so it goes."""
    if not token:
        return None
    preview = db.exec(select(ImportPreview).where(ImportPreview.token == token)).first()
    if preview is None:
        return None
    db.delete(preview)
    fresh = now - as_utc(preview.created_at) <= PREVIEW_LIFETIME
    return preview if fresh and preview.user_id == user_id else None
