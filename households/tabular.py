"""The registry's spreadsheet layout: one row per resident, shared by import, export and template."""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from xml.etree.ElementTree import ParseError

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from core.text import normalize, printable

# (key, header). Headers are matched without case or diacritics, so "to dan pho" works too.
COLUMNS = [
    ("group", "Tổ dân phố"),
    ("address", "Địa chỉ"),
    ("head_name", "Chủ hộ"),
    ("phone", "Điện thoại"),
    ("consent", "Đồng ý"),
    ("note", "Ghi chú"),
    ("full_name", "Họ tên"),
    ("birth_year", "Năm sinh"),
    ("eid", "VNeID"),
]
HEADERS = [header for _key, header in COLUMNS]
_KEY_BY_HEADER = {normalize(header): key for key, header in COLUMNS}
REQUIRED_KEYS = {"group", "address"}

EXAMPLE_ROWS = [
    [
        1,
        "12 Kiệt 45 Hà Huy Tập",
        "Nguyễn Văn Hùng",
        "0905123456",
        "có",
        "",
        "Nguyễn Văn Hùng",
        1958,
        "mức 1",
    ],
    [
        1,
        "12 Kiệt 45 Hà Huy Tập",
        "Nguyễn Văn Hùng",
        "0905123456",
        "có",
        "",
        "Trần Thị Dương",
        1962,
        "chưa có",
    ],
    [2, "Nhà số 8, tổ 2", "", "", "không", "", "", 1990, "mức 2"],
]
GUIDE = [
    _l(
        "Mỗi dòng là một người dân; các cột của hộ (Tổ dân phố … Ghi chú) lặp lại cho mọi người trong hộ."
    ),
    _l("Tổ dân phố: số tổ trong phường. Địa chỉ: bắt buộc."),
    _l(
        "Đồng ý: 'có' nếu hộ đồng ý cho ghi tên và số điện thoại; nếu 'không', chỉ lưu địa chỉ và số người."
    ),
    _l("Năm sinh: 4 chữ số. VNeID: 'chưa có', 'mức 1' hoặc 'mức 2'."),
    _l("Không ghi số định danh cá nhân, mật khẩu VNeID hay ảnh giấy tờ."),
]


# A ward has a few thousand households; more rows than this is another file (or an attack):
# 100,000 rows took 15 s to read and check.
MAX_ROWS = 20_000


class UnreadableFile(ValueError):
    pass


class TooManyRows(UnreadableFile):
    pass


def _capped(rows: Iterable) -> list[list]:
    """At most MAX_ROWS data rows (and the header), read no further than one row past them."""
    kept = []
    for row in rows:
        if len(kept) > MAX_ROWS:
            raise TooManyRows(str(MAX_ROWS))
        kept.append(list(row))
    return kept


def read_rows(filename: str, content: bytes) -> tuple[list[str], Iterator[list]]:
    """Header keys (None for unknown columns) and the data rows of a CSV or XLSX file."""
    rows = _read_xlsx(content) if filename.lower().endswith(".xlsx") else _read_csv(content)
    try:
        header = next(rows)
    except StopIteration:
        raise UnreadableFile("empty") from None
    keys = [_KEY_BY_HEADER.get(normalize(str(cell or ""))) for cell in header]
    missing = REQUIRED_KEYS - set(keys)
    if missing:
        raise UnreadableFile("missing columns")
    return keys, rows


def _read_xlsx(content: bytes) -> Iterator[list]:
    # Read every row here: a read-only workbook parses lazily, so a damaged sheet would
    # otherwise fail later, outside this try, as a server error.
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            rows = _capped(workbook.worksheets[0].iter_rows(values_only=True))
        finally:
            workbook.close()
    except TooManyRows:
        raise
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        ParseError,
        KeyError,
        OSError,
        ValueError,
    ) as error:
        raise UnreadableFile(str(error)) from error
    return iter(rows)


def _read_csv(content: bytes) -> Iterator[list]:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile("encoding")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return iter(_capped(csv.reader(io.StringIO(text), dialect)))
    except csv.Error as error:  # e.g. a field over the csv module's size limit
        raise UnreadableFile(str(error)) from error


_FORMULA_STARTS = ("=", "+", "-", "@")


def _inert(cell):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


def restore_text(cell: str) -> str:
    """Undo _inert() on the way back in, so an exported file re-imports unchanged."""
    if cell.startswith("'") and cell[1:2] in _FORMULA_STARTS:
        return cell[1:]
    return cell


def write_xlsx(rows: Iterable[list], *, guide: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Hộ dân"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([_inert(printable(cell)) for cell in row])
    for column, width in zip("ABCDEFGHI", (11, 30, 24, 13, 8, 20, 24, 10, 10), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    if guide:
        notes = workbook.create_sheet("Hướng dẫn")
        for line in GUIDE:
            notes.append([str(line)])
        notes.column_dimensions["A"].width = 110
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_csv(rows: Iterable[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows([_inert(printable(cell)) for cell in row] for row in rows)
    # The BOM lets Excel open the file as UTF-8 and show the diacritics.
    return out.getvalue().encode("utf-8-sig")
