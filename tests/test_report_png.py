"""The monthly report's first page, rendered to PNG as a reader sees it (pypdfium2, no system
package): not blank, Quốc hiệu inked at the top, the tables inked where their text is."""

import io

import pypdfium2 as pdfium
import pytest
from PIL import Image

from tests.test_coverage_online import _march

MONTH = {"month": "2026-03"}
SCALE = 100 / 72  # 100 dpi


def first_page_png(page: pdfium.PdfPage) -> bytes:
    out = io.BytesIO()
    page.render(scale=SCALE).to_pil().save(out, format="PNG")
    return out.getvalue()


def _box(page: pdfium.PdfPage, text: str) -> tuple[float, float, float, float]:
    """Where `text` is on the page, in PNG pixels (left, top, right, bottom)."""
    textpage = page.get_textpage()
    searcher = textpage.search(text, match_case=True)
    found = searcher.get_next()
    assert found, f"{text!r} is not on the first page"
    start, count = found
    boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
    height = page.get_height()
    left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
    bottom, top = min(b[1] for b in boxes), max(b[3] for b in boxes)
    return left * SCALE, (height - top) * SCALE, right * SCALE, (height - bottom) * SCALE


def _ink(image: Image.Image, box) -> float:
    """The share of dark pixels in the box."""
    histogram = image.crop(tuple(round(v) for v in box)).convert("L").histogram()
    return sum(histogram[:128]) / max(sum(histogram), 1)


@pytest.fixture
def report_png(app, world, auth, client, tmp_path):
    _march(app, world)
    auth.login("bithu")
    response = client.get("/reports/monthly.pdf", query_string=MONTH)
    assert response.status_code == 200
    document = pdfium.PdfDocument(response.data)
    page = document[0]
    png = first_page_png(page)
    (tmp_path / "report-page-1.png").write_bytes(png)  # kept by pytest for a look when it fails
    yield Image.open(io.BytesIO(png)), page
    page.close()
    document.close()


def test_first_page_is_an_a4_page_with_ink(report_png):
    image, _page = report_png
    width, height = (round(mm / 25.4 * 100) for mm in (210, 297))  # A4 at 100 dpi
    assert abs(image.width - width) <= 1 and abs(image.height - height) <= 1
    assert 0.005 < _ink(image, (0, 0, *image.size)) < 0.5  # printed, not blank, not black


def test_quoc_hieu_is_inked_in_the_header_band(report_png):
    image, page = report_png
    box = _box(page, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert box[3] < image.height * 0.15  # the top of the page, as Decree 30/2020 lays it out
    assert box[0] > image.width * 0.3  # on the right, the issuing body on the left
    assert _ink(image, box) > 0.08
    body = _box(page, "ĐỘI HÌNH THANH NIÊN 24/7")
    assert body[3] < image.height * 0.15 and body[2] < image.width * 0.5
    assert _ink(image, body) > 0.08
    # The band between the header and the title holds no stray marks.
    margin = (0, 0, image.width, image.height * 0.012)
    assert _ink(image, margin) == 0


def test_the_tables_are_inked_where_their_figures_are(report_png):
    image, page = report_png
    row = _box(page, "Đăng ký khai sinh")
    assert _ink(image, row) > 0.08
    # The table's rules and cells: ink across the row's whole width, not just its label.
    band = (image.width * 0.08, row[1] - 4, image.width * 0.92, row[3] + 4)
    assert _ink(image, band) > 0.04
