"""Linkage features in polars agree with the Python rules they vectorise."""

import polars as pl

from muster.core.text import fold
from muster.linkage import features


def test_fold_expr_matches_core_fold():
    names = ["Nguyễn Văn Đức", "  Lò  Thị Ởn ", "ĐẶNG Quốc Ánh", "Hoàng Ngọc Hoà"]
    frame = pl.DataFrame({"n": names}).select(features.fold_expr("n"))
    assert frame["n"].to_list() == [fold(n) for n in names]
