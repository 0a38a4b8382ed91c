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
