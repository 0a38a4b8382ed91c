import re

_CSRF_PATTERN = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"'
)


def csrf_from(html: bytes | str) -> str:
    """The CSRF token a rendered form carries, for tests that run with CSRF switched on."""
    page = html.decode() if isinstance(html, bytes) else html
    match = _CSRF_PATTERN.search(page)
    assert match, "page has no csrf_token field"
    return match.group(1) or match.group(2)


def page_text(response) -> str:
    return response.get_data(as_text=True)


def household_ids(response) -> list[int]:
    """Ids of the households a registry page links to, in page order."""
    return [int(found) for found in re.findall(r'href="/households/(\d+)"', page_text(response))]


def group_row(response, number: int) -> list[str]:
    """The cells of group `number`'s row on the groups page, as text."""
    row = re.search(rf'<tr data-group="{number}"[^>]*>(.*?)</tr>', page_text(response), re.S)
    assert row, f"no row for group {number}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]
