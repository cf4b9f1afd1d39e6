"""The synthetic population: shape, determinism and realism within published tolerances."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import polars as pl
import pytest

from muster.demo import names
from muster.demo.population import SCHEMA, CommuneSpec, generate_population
from muster.people import rules
from muster.people.name_keys import NameKeys

REFERENCE = date(2025, 7, 1)


def make_communes(province_name: str, *, wards: int, rural: int) -> list[CommuneSpec]:
    """Wards of 10–40 km² and rural communes of 60–240 km², half of them from a second legacy
    province (as Lào Cai took in Yên Bái)."""
    out = [
        CommuneSpec(
            f"9{i:04d}", f"Phường Số {i}", "Phường", 10.0 + (i * 7) % 30, province_name, "10"
        )
        for i in range(wards)
    ]
    out += [
        CommuneSpec(
            f"8{i:04d}",
            f"Xã Số {i}",
            "Xã",
            60.0 + (i * 37) % 180,
            province_name,
            "10" if i % 2 else "15",
        )
        for i in range(rural)
    ]
    return out


def with_age(frame: pl.DataFrame) -> pl.DataFrame:
    age = ((pl.lit(REFERENCE) - pl.col("birth_date")).dt.total_days() / 365.2425).floor()
    return frame.with_columns(age.cast(pl.Int64).alias("age"))


@pytest.fixture(scope="module")
def lao_cai() -> pl.DataFrame:
    communes = make_communes("Tỉnh Lào Cai", wards=12, rural=60)
    frame = generate_population(
        communes, people=80_000, seed=7, province_code="15", reference_date=REFERENCE
    )
    return with_age(frame)


@pytest.fixture(scope="module")
def lowland() -> pl.DataFrame:
    communes = make_communes("Tỉnh Hưng Yên", wards=20, rural=60)
    frame = generate_population(
        communes, people=100_000, seed=11, province_code="33", reference_date=REFERENCE
    )
    return with_age(frame)


def surname_of(column: str = "full_name") -> pl.Expr:
    return pl.col(column).str.split(" ").list.first()


# --- Shape and determinism -----------------------------------------------------------------------


def test_same_seed_same_frame_and_other_seed_differs():
    communes = make_communes("Tỉnh Lào Cai", wards=3, rural=10)

    def make(seed: int) -> pl.DataFrame:
        return generate_population(
            communes, people=5_000, seed=seed, province_code="15", reference_date=REFERENCE
        )

    first = make(1)
    assert first.equals(make(1))
    other = make(2)
    assert not first.equals(other)
    assert first["personal_id"].to_list() != other["personal_id"].to_list()


@pytest.mark.parametrize("people", [0, 1, 7, 999, 12_345])
def test_exact_row_count_and_schema(people):
    communes = make_communes("Tỉnh Lào Cai", wards=4, rural=16)
    frame = generate_population(
        communes, people=people, seed=3, province_code="15", reference_date=REFERENCE
    )
    assert frame.height == people
    assert frame.schema == pl.Schema(SCHEMA)


def test_every_commune_is_populated_and_wards_are_denser(lao_cai):
    communes = make_communes("Tỉnh Lào Cai", wards=12, rural=60)
    counts = dict(lao_cai.group_by("residence_commune_code").len().iter_rows())
    assert set(counts) == {c.code for c in communes}
    assert min(counts.values()) >= 16

    def density(kind: str) -> float:
        chosen = [c for c in communes if c.unit_type == kind]
        return float(sum(counts[c.code] for c in chosen)) / sum(c.area_km2 or 0 for c in chosen)

    assert density("Phường") > 5 * density("Xã")


def test_all_alive_with_no_death_date(lao_cai):
    assert lao_cai["life_status"].unique().to_list() == ["alive"]
    assert lao_cai["died_on"].null_count() == lao_cai.height


# --- Personal ID numbers -------------------------------------------------------------------------


def test_personal_ids_are_unique_and_consistent_with_sex_and_birth(lao_cai):
    ids = lao_cai["personal_id"]
    assert ids.str.contains(r"^\d{12}$").all()
    assert ids.n_unique() == lao_cai.height
    year = pl.col("birth_date").dt.year()
    checked = lao_cai.select(
        place=pl.col("personal_id").str.slice(0, 3),
        digit=pl.col("personal_id").str.slice(3, 1).cast(pl.Int64),
        yy=pl.col("personal_id").str.slice(4, 2).cast(pl.Int64),
        expected_digit=(year // 100 - 19) * 2 + (pl.col("sex") == "F").cast(pl.Int64),
        expected_yy=year % 100,
    )
    assert set(checked["place"].unique()) == {"010", "015"}
    assert (checked["digit"] == checked["expected_digit"]).all()
    assert (checked["yy"] == checked["expected_yy"]).all()


def test_place_code_falls_back_to_the_province_code():
    communes = [CommuneSpec("00001", "Xã A", "Xã", 50.0, "Tỉnh Cao Bằng")]
    frame = generate_population(
        communes, people=300, seed=1, province_code="04", reference_date=REFERENCE
    )
    assert frame["personal_id"].str.starts_with("004").all()


# --- Names ---------------------------------------------------------------------------------------


def test_names_are_nfc_with_diacritics_and_mostly_three_parts(lowland):
    full = lowland["full_name"].to_list()
    assert all(unicodedata.normalize("NFC", name) == name for name in full)
    assert all(name == name.strip() and "  " not in name for name in full)
    assert sum(not name.isascii() for name in full) / len(full) > 0.8
    parts = lowland["full_name"].str.split(" ").list.len()
    assert (parts >= 3).mean() > 0.95
    assert 0.01 < (parts == 4).mean() < 0.1


def test_kinh_surname_frequencies(lowland):
    kinh = lowland.filter(pl.col("ethnicity") == "Kinh").select(surname_of())["full_name"]
    share = kinh.value_counts(normalize=True)
    shares = dict(share.iter_rows())
    assert shares["Nguyễn"] == pytest.approx(0.38, abs=0.03)
    assert shares["Trần"] == pytest.approx(0.11, abs=0.02)
    assert shares["Lê"] == pytest.approx(0.095, abs=0.02)
    assert len(shares) > 40


def test_older_kinh_generations_carry_van_and_thi(lowland):
    kinh = lowland.filter(pl.col("ethnicity") == "Kinh").with_columns(
        middle=pl.col("full_name").str.split(" ").list.get(1)
    )
    old = kinh.filter(pl.col("age") >= 60)
    young = kinh.filter(pl.col("age") < 20)
    old_thi = (old.filter(pl.col("sex") == "F")["middle"] == "Thị").mean()
    young_thi = (young.filter(pl.col("sex") == "F")["middle"] == "Thị").mean()
    assert old_thi > 0.75
    assert young_thi < 0.3
    assert (old.filter(pl.col("sex") == "M")["middle"] == "Văn").mean() > 0.5


def _names_of(style: str) -> tuple[set[str], set[str]]:
    spec = names.STYLES[style]
    return {name for name, _ in spec.surnames}, set(spec.given_male) | set(spec.given_female)


def test_lao_cai_ethnic_shares_and_naming_patterns(lao_cai):
    shares = dict(lao_cai["ethnicity"].value_counts(normalize=True).iter_rows())
    assert shares["Kinh"] == pytest.approx(0.45, abs=0.05)
    assert shares["H'Mông"] == pytest.approx(0.19, abs=0.04)
    assert shares["Dao"] == pytest.approx(0.13, abs=0.04)
    assert shares["Tày"] == pytest.approx(0.12, abs=0.04)

    hmong = lao_cai.filter(pl.col("ethnicity") == "H'Mông")
    hmong_surnames, _ = _names_of("H'Mông")
    assert set(hmong.select(surname_of())["full_name"].unique()) <= hmong_surnames
    men_middle = hmong.filter(pl.col("sex") == "M")["full_name"].str.split(" ").list.get(1)
    assert set(men_middle.unique()) <= {"A", "Seo", "Mí", "Chứ", "Văn"}
    women_middle = hmong.filter(pl.col("sex") == "F")["full_name"].str.split(" ").list.get(1)
    assert set(women_middle.unique()) <= {"Thị", "Mỷ"}

    for style in ("Dao", "Tày", "Thái"):
        surnames, given = _names_of(style)
        group = lao_cai.filter(pl.col("ethnicity") == style)["full_name"]
        assert set(group.str.split(" ").list.first().unique()) <= surnames
        assert set(group.str.split(" ").list.last().unique()) <= {g.split()[-1] for g in given}


def test_ede_names_put_the_clan_name_last():
    communes = make_communes("Tỉnh Đắk Lắk", wards=2, rural=20)
    frame = generate_population(
        communes, people=20_000, seed=5, province_code="66", reference_date=REFERENCE
    )
    ede = frame.filter(pl.col("ethnicity") == "Ê Đê")
    assert ede.height > 1_000
    surnames, _ = _names_of("Ê Đê")
    assert set(ede["full_name"].str.split(" ").list.last().unique()) <= surnames
    men = ede.filter(pl.col("sex") == "M")["full_name"]
    women = ede.filter(pl.col("sex") == "F")["full_name"]
    assert men.str.starts_with("Y ").all()
    assert women.str.starts_with("H'").all()


# --- Age and sex ---------------------------------------------------------------------------------


def test_age_sex_pyramid_matches_2025_figures(lowland):
    age = lowland["age"]
    assert (age < 15).mean() == pytest.approx(0.228, abs=0.012)
    assert ((age >= 15) & (age < 60)).mean() == pytest.approx(0.627, abs=0.012)
    assert (age >= 60).mean() == pytest.approx(0.145, abs=0.01)
    assert (lowland["sex"] == "M").mean() == pytest.approx(0.499, abs=0.008)
    assert age.min() >= 0
    assert age.max() <= 100

    def sex_ratio(low: int, high: int) -> float:
        band = lowland.filter((pl.col("age") >= low) & (pl.col("age") < high))
        return int((band["sex"] == "M").sum()) / int((band["sex"] == "F").sum())

    assert 1.05 < sex_ratio(0, 10) < 1.18
    assert sex_ratio(75, 101) < 0.8


def test_birth_dates_spread_over_the_year(lowland):
    months = lowland["birth_date"].dt.month().value_counts(normalize=True)
    assert months.height == 12
    assert months["proportion"].min() > 0.06


# --- Households ----------------------------------------------------------------------------------


def test_household_members_share_id_address_and_commune(lao_cai):
    per_household = lao_cai.group_by("household_id").agg(
        pl.col("address").n_unique().alias("addresses"),
        pl.col("residence_commune_code").n_unique().alias("communes"),
        pl.col("residence_commune_code").first().alias("commune"),
    )
    assert (per_household["addresses"] == 1).all()
    assert (per_household["communes"] == 1).all()
    assert (
        per_household["household_id"].str.slice(0, 7) == ("15" + per_household["commune"])
    ).all()


def test_household_sizes(lao_cai, lowland):
    def mean_size(frame: pl.DataFrame, kinh: bool) -> float:
        heads = frame.group_by("household_id", maintain_order=True).agg(
            pl.len(), pl.col("ethnicity").first()
        )
        chosen = heads.filter((pl.col("ethnicity") == "Kinh") == kinh)
        return float(chosen["len"].mean())  # type: ignore[arg-type]

    assert 3.2 < mean_size(lowland, kinh=True) < 3.9
    assert 4.0 < mean_size(lao_cai, kinh=False) < 5.2
    sizes = lowland.group_by("household_id").len()["len"]
    assert 0.05 < (sizes == 1).mean() < 0.2
    assert sizes.max() < 20


def test_children_take_the_fathers_surname_and_wives_keep_theirs(lowland):
    # Rows come head first; in a Kinh household with a male head, under-18s are his children or
    # grandchildren through a son, so they carry his surname and are at least 18 years younger.
    ranked = lowland.with_columns(surname=surname_of()).with_columns(
        head_surname=pl.col("surname").first().over("household_id"),
        head_sex=pl.col("sex").first().over("household_id"),
        head_age=pl.col("age").first().over("household_id"),
        position=pl.int_range(pl.len()).over("household_id"),
    )
    patrilineal = ranked.filter((pl.col("ethnicity") == "Kinh") & (pl.col("head_sex") == "M"))
    minors = patrilineal.filter((pl.col("age") < 18) & (pl.col("position") > 0))
    assert minors.height > 10_000
    assert (minors["surname"] == minors["head_surname"]).mean() > 0.97
    assert (minors["head_age"] - minors["age"] >= 17).mean() > 0.99

    wives = patrilineal.filter(
        (pl.col("position") == 1) & (pl.col("sex") == "F") & (pl.col("age") >= 18)
    )
    assert 0.6 < (wives["surname"] != wives["head_surname"]).mean() < 0.95


# --- Contacts and addresses ----------------------------------------------------------------------


def test_phones(lao_cai):
    adults = lao_cai.filter(pl.col("age") >= 15)
    assert adults["phone"].is_not_null().mean() == pytest.approx(0.85, abs=0.05)
    assert lao_cai.filter(pl.col("age") < 15)["phone"].null_count() == (
        lao_cai.filter(pl.col("age") < 15).height
    )
    phones = lao_cai["phone"].drop_nulls()
    assert phones.str.contains(r"^0(3[2-9]|5[689]|7[06-9]|8[1-689]|9[0-8])\d{7}$").all()
    assert phones.n_unique() == phones.len()


def test_addresses_follow_the_two_level_form(lao_cai):
    rows = lao_cai.select("address", "residence_commune_code", "ethnicity").unique()
    wards = rows.filter(pl.col("residence_commune_code").str.starts_with("9"))
    rural = rows.filter(pl.col("residence_commune_code").str.starts_with("8"))
    assert wards["address"].str.contains(r"^(Tổ dân phố \d+|Số \d+ đường .+), Phường ").all()
    assert rural["address"].str.contains(r"^(Thôn|Bản|Xóm) .+, Xã Số \d+, Tỉnh Lào Cai$").all()
    kinh_rural = rural.filter(pl.col("ethnicity") == "Kinh")["address"]
    hmong_rural = rural.filter(pl.col("ethnicity") == "H'Mông")["address"]
    # A few people live in a household of another group (taken in as relatives).
    assert kinh_rural.str.starts_with("Thôn ").mean() > 0.97
    assert hmong_rural.str.starts_with("Bản ").mean() > 0.97
    assert re.fullmatch(r".+, Tỉnh Lào Cai", lao_cai["address"][0])


def test_southern_villages_are_ap():
    communes = make_communes("Thành phố Cần Thơ", wards=0, rural=10)
    frame = generate_population(
        communes, people=5_000, seed=2, province_code="92", reference_date=REFERENCE
    )
    assert frame["address"].str.starts_with("Ấp ").all()
    assert int((frame["ethnicity"] == "Khmer").sum()) > 0.05 * frame.height


def test_name_keys_of_a_generated_population_match_the_rules():
    """Every generated name keys through people.name_keys as through the single-name rules."""
    specs = [CommuneSpec("00001", "Xã Một", "Xã", 10.0, "Tỉnh Thử", "01")]
    full_names = generate_population(
        specs, people=3000, seed=3, province_code="01", reference_date=date(2026, 1, 1)
    )["full_name"]
    keys = NameKeys()(full_names)
    for raw, (clean, key, given) in zip(full_names, keys.iter_rows(), strict=True):
        assert (clean, key, given) == (
            rules.normalise_name(raw),
            rules.search_key(raw),
            rules.given_key(raw),
        )
