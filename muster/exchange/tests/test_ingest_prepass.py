"""The duplicate-ID pre-pass (no Django): one scan for a clean file, repeats sorted out."""

from pathlib import Path

from muster.exchange import ingest_prepass
from muster.people.extract_format import EXTRACT_COLUMNS

ROW = '{pid},Nguyễn Văn An,M,2001-02-03,Kinh,00004,"Thôn 1, Xã A",H1,alive,'


def _file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "x.csv"
    path.write_text(",".join(EXTRACT_COLUMNS) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_clean_file_counts_rows_without_repeats(tmp_path: Path) -> None:
    path = _file(tmp_path, ROW.format(pid="001201000001"), ROW.format(pid="001201000002"))
    found = ingest_prepass.prepass(path, "csv", EXTRACT_COLUMNS)
    assert found == {"rows": 2, "identical": {}, "conflicting": {}}


def test_identical_and_conflicting_repeats_are_told_apart(tmp_path: Path) -> None:
    same, differs = ROW.format(pid="001201000001"), ROW.format(pid="001201000002")
    path = _file(tmp_path, same, same, differs, differs.replace("H1", "H2"), ROW.format(pid="x"))
    found = ingest_prepass.prepass(path, "csv", EXTRACT_COLUMNS)
    assert found == {
        "rows": 5,
        "identical": {"001201000001": 2},
        "conflicting": {"001201000002": 2},
    }


def test_column_names_that_are_not_plain_identifiers_are_refused(tmp_path: Path, capsys) -> None:
    path = _file(tmp_path, ROW.format(pid="001201000001"))
    bad = ingest_prepass.main([str(path), "csv", *EXTRACT_COLUMNS[:-1], 'died_on"; --'])
    assert bad == ingest_prepass.MALFORMED
    assert "bad pre-pass arguments" in capsys.readouterr().out
