"""Search normalisation and phone numbers: pure functions, no database."""

import unicodedata

import pytest

from core.text import given_name_key, normalize, normalize_phone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nguyễn Văn Hùng", "nguyen van hung"),
        ("Đặng", "dang"),
        ("đường Điện Biên Phủ", "duong dien bien phu"),
        ("ĐẶNG THỊ HƯƠNG", "dang thi huong"),
        ("Dương", "duong"),
        ("  Trần   Thị\tDương ", "tran thi duong"),
        ("K12/3 Hà Huy Tập", "k12/3 ha huy tap"),
        ("Ưng Ỷ Ộ Ữ", "ung y o u"),
    ],
)
def test_normalize_drops_case_and_diacritics(text, expected):
    assert normalize(text) == expected


def test_normalize_maps_d_with_stroke_which_has_no_decomposition():
    # NFD leaves đ alone; a normaliser relying on it alone would keep "đ".
    assert unicodedata.normalize("NFD", "đ") == "đ"
    assert normalize("đ") == "d"
    assert normalize("Đ") == "d"


def test_normalize_treats_decomposed_and_precomposed_input_alike():
    # Phones and old Windows keyboards send either form.
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Hùng")
    assert decomposed != "Nguyễn Văn Hùng"
    assert normalize(decomposed) == normalize("Nguyễn Văn Hùng") == "nguyen van hung"


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_normalize_empty(empty):
    assert normalize(empty) == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0905123456", "0905123456"),
        ("0905 123 456", "0905123456"),
        ("090.512.3456", "0905123456"),
        ("090-512-3456", "0905123456"),
        ("+84 905 123 456", "0905123456"),
        ("+84905123456", "0905123456"),
        ("84905123456", "0905123456"),
        ("0388123456", "0388123456"),
        ("(0236) 3822 123", "02363822123"),
        (905123456, None),  # a number that lost its leading zero in a spreadsheet
        ("12345", None),
        ("0105123456", None),  # no Vietnamese mobile prefix 01x any more
        ("09051234567", None),
        ("090512345", None),
        ("abc", None),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_normalize_phone(raw, expected):
    assert normalize_phone(raw) == expected


def test_roster_order_sorts_by_given_name_then_whole_name():
    names = ["Nguyễn Văn Hùng", "Trần Thị Anh", "Lê Đức Anh", "Đặng Minh Dũng"]
    assert sorted(names, key=given_name_key) == [
        "Lê Đức Anh",
        "Trần Thị Anh",
        "Đặng Minh Dũng",
        "Nguyễn Văn Hùng",
    ]
    assert given_name_key("Nguyễn Văn Hùng") == ("hung", "nguyen van hung")
    assert given_name_key(None) == ("", "")
