"""Request bodies: a size every body keeps (chunked ones too) and a JSON depth checked before
parsing, for every JSON endpoint at once (push, subscriptions, anything added later).

Python's json module recurses once per level, so `[[[[…` a thousand deep raised RecursionError
(a 500). werkzeug stops reading a chunked body at MAX_CONTENT_LENGTH without saying so, so a
20 MB push arrived cut short and answered 400 instead of 413.
"""

import re

from flask import Flask, Request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import RequestEntityTooLarge

MAX_JSON_DEPTH = 32
_ESCAPES = re.compile(rb"\\.", re.S)
_NOT_STRUCTURE = bytes(set(range(256)) - set(b'[]{}"'))


class TooDeep(ValueError):
    """Handled like any unreadable JSON: get_json(silent=True) gives None, the view answers 400."""


def check_depth(data: bytes | str, limit: int = MAX_JSON_DEPTH) -> None:
    """Raise TooDeep when the JSON nests more than about `limit` levels, without parsing it.

    Strings are dropped, then every pass removes the innermost empty pairs; what is left
    after `limit` passes nests deeper than `limit` (a pass may peel two levels of mixed
    brackets, so at most 2 × limit levels pass, far below the recursion limit).
    """
    raw = data.encode() if isinstance(data, str) else data
    if b"\\" in raw:
        raw = _ESCAPES.sub(b"", raw)  # so that \" never ends a string
    # Quotes and brackets only (in C); every other piece between quotes is outside a string.
    brackets = b"".join(raw.translate(None, _NOT_STRUCTURE).split(b'"')[::2])
    for _pass in range(limit):
        if not brackets:
            return
        brackets = brackets.replace(b"[]", b"").replace(b"{}", b"")
    if brackets:
        raise TooDeep("JSON nested too deep")


class BoundedJSONProvider(DefaultJSONProvider):
    def loads(self, s, **kwargs):
        check_depth(s)
        return super().loads(s, **kwargs)


class BoundedRequest(Request):
    def get_data(self, cache: bool = True, as_text: bool = False, parse_form_data: bool = False):
        data = super().get_data(cache=cache, as_text=False, parse_form_data=parse_form_data)
        self._refuse_cut_short()
        return data.decode(errors="replace") if as_text else data

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self._refuse_cut_short()

    def _refuse_cut_short(self) -> None:
        """A body without a length (chunked) read up to max_content_length had more: werkzeug
        stops there silently, and the view would see a truncated body."""
        if self.content_length is None and getattr(self.stream, "is_exhausted", False):
            raise RequestEntityTooLarge()


def init_app(app: Flask) -> None:
    app.request_class = BoundedRequest
    app.json = BoundedJSONProvider(app)
