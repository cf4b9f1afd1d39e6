import pytest

from muster.core.text import fold, nfc


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Nguyễn Văn An", "nguyen van an"),
        ("ĐẶNG THỊ HỒNG", "dang thi hong"),
        ("  Lò   Văn  Páo ", "lo van pao"),
        ("Hoàng A Dơ", "hoang a do"),
        ("Sùng Mí Tủa", "sung mi tua"),
    ],
)
def test_fold_removes_diacritics_and_case(raw, folded):
    assert fold(raw) == folded


def test_nfc_composes_decomposed_input():
    decomposed = "Nguye\u0302\u0303n"
    assert nfc(decomposed) == "Nguyễn"
