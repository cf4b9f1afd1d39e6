"""Vietnamese alphabetical order: the Python sort key, and the `vi_icu` collation of both
databases (ICU on PostgreSQL, the key as a collation function on SQLite) giving the same
order."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from muster.core.collation import vi, vi_sorted
from muster.core.text import vi_sort_key

# Each pair: the first sorts before the second (Vietnamese alphabet, then tones, then case).
BEFORE = [
    ("An", "Ăn"),  # ă after a
    ("Ăn", "Ân"),  # â after ă
    ("Ân", "Bình"),
    ("Dũng", "Đức"),  # đ after d, whatever follows
    ("Dzũng", "Đa"),
    ("Em", "Êm"),  # ê after e
    ("Ong", "Ông"),  # ô after o, ơ after ô
    ("Ông", "Ơn"),
    ("Uy", "Ưu"),  # ư after u
    ("Ưu", "Vân"),
    ("Xuân", "Ý"),
    ("a", "à"),  # tones are secondary: none, huyền, hỏi, ngã, sắc, nặng
    ("à", "ả"),
    ("ả", "ã"),
    ("ã", "á"),
    ("á", "ạ"),
    ("Anh", "Ánh"),
    ("ạ", "ăa"),  # …but only after the letters: a tone never outranks a letter
    ("Ba", "Bà"),
    ("Bà", "Bác"),
    ("an", "An"),  # case last, lower first
    ("An", "An Bình"),  # a shorter name first
    ("An Bình", "Anh"),  # a space before any letter
    ("Phường 1", "Phường 10"),
    ("Nguyễn Văn A", "Nguyễn Văn Ân"),
]
NAMES = ["Ân", "An", "Ăn", "Bình", "Đức", "Dũng", "Ý", "Ánh", "Anh", "Ông", "Ơn", "On", "Ưu"]
ORDERED = ["An", "Anh", "Ánh", "Ăn", "Ân", "Bình", "Dũng", "Đức", "On", "Ông", "Ơn", "Ưu", "Ý"]


@pytest.mark.parametrize(("first", "second"), BEFORE)
def test_vietnamese_order(first: str, second: str) -> None:
    assert vi_sort_key(first) < vi_sort_key(second)


def test_decomposed_and_composed_text_sort_alike() -> None:
    assert vi_sort_key("Nguye\u0302\u0303n") == vi_sort_key("Nguyễn")


def test_vi_sorted() -> None:
    assert vi_sorted(NAMES) == ORDERED
    assert vi_sorted([("b", "Đức"), ("a", "Dũng")], lambda pair: pair[1]) == [
        ("a", "Dũng"),
        ("b", "Đức"),
    ]


@pytest.mark.django_db
def test_the_database_orders_like_the_key() -> None:
    for name in NAMES:
        Group.objects.create(name=name)
    assert list(Group.objects.order_by(vi("name")).values_list("name", flat=True)) == ORDERED


@pytest.mark.django_db
def test_raw_sql_says_collate_vi_icu_on_both_databases() -> None:
    sample = [*{name for pair in BEFORE for name in pair}, *NAMES, "Nguyễn Thị Ánh", "Đặng Ngọc Ẩn"]
    for name in sample:
        Group.objects.get_or_create(name=name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM auth_group ORDER BY name COLLATE vi_icu")
        in_sql = [row[0] for row in cursor.fetchall()]
    assert in_sql == sorted(set(sample), key=vi_sort_key)
