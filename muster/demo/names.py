"""Name, village and ethnic-mix tables for the synthetic population.

Everything here is data: the generator (``population.py``, ``person_names.py``) turns it into
arrays. All figures are approximate (2019 census shares folded into the 2025 provinces, rounded;
small groups without a naming table are left out and the rest renormalised). They exist to make
demo data look right to a Vietnamese reader, not to be quoted.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def _weighted(spec: str) -> tuple[tuple[str, float], ...]:
    """Parse "Nguyễn 38, Trần 11" (the name may contain spaces) into (name, weight) pairs."""
    pairs = []
    for item in spec.split(","):
        name, _, weight = item.strip().rpartition(" ")
        pairs.append((_nfc(name), float(weight)))
    return tuple(pairs)


def _names(spec: str) -> tuple[str, ...]:
    """Parse "An, Bình, Sa Rết" into names; earlier names are drawn more often."""
    return tuple(_nfc(item) for item in spec.split(",") if item.strip())


def _scaled(pairs: tuple[tuple[str, float], ...], total: float) -> tuple[tuple[str, float], ...]:
    current = sum(weight for _, weight in pairs)
    return tuple((name, weight * total / current) for name, weight in pairs)


# --- Kinh -------------------------------------------------------------------------------------

# Shares of the best-known surname surveys (Nguyễn ≈ 38 %, Trần ≈ 11 % …); the tail is scaled to
# the remaining 11.5 % so the head keeps its published share.
KINH_SURNAMES = _weighted(
    "Nguyễn 38, Trần 11, Lê 9.5, Phạm 7, Hoàng 2.6, Huỳnh 2.4, Phan 4.5, Vũ 2, Võ 1.9, "
    "Đặng 2.1, Bùi 2, Đỗ 1.4, Hồ 1.3, Ngô 1.3, Dương 1, Lý 0.5"
) + _scaled(
    _weighted(
        "Đinh 0.6, Trịnh 0.5, Đào 0.5, Đoàn 0.5, Trương 0.5, Mai 0.4, Cao 0.4, Lương 0.35, "
        "Lâm 0.35, Hà 0.35, Tạ 0.25, Quách 0.15, Vương 0.15, Kiều 0.15, Chu 0.2, Tô 0.2, "
        "Thái 0.15, Triệu 0.15, Phùng 0.2, Lưu 0.2, Văn 0.1, La 0.1, Tăng 0.1, Nghiêm 0.1, "
        "Doãn 0.1, Khúc 0.05, Châu 0.15, Lại 0.15, Tống 0.1, Giang 0.1, Mạc 0.05, Từ 0.1, "
        "Thân 0.1, Lã 0.05, Bạch 0.05, Khổng 0.05, Ninh 0.05, Tôn 0.05, Âu 0.05, Phí 0.05"
    ),
    11.5,
)

KINH_GIVEN_MALE = _names(
    "Minh, Hùng, Dũng, Tuấn, Nam, Hải, Đức, Long, Sơn, Thắng, Cường, Huy, Quân, Phong, Việt, "
    "Bình, Khánh, An, Anh, Bảo, Công, Chiến, Duy, Dương, Đạt, Đông, Giang, Hào, Hiếu, Hiệp, Hòa, "
    "Hoàng, Hưng, Khang, Khoa, Kiên, Lâm, Lộc, Luân, Mạnh, Nghĩa, Nhân, Phát, Phúc, Quang, "
    "Quốc, Sang, Tài, Tâm, Tân, Thái, Thành, Thanh, Thịnh, Toàn, Trung, Trí, Trọng, Tú, Tùng, "
    "Vinh, Vũ, Hậu, Kiệt, Lợi, Thuận, Tiến, Thọ, Hoan, Điệp"
)
KINH_GIVEN_FEMALE = _names(
    "Linh, Hương, Trang, Lan, Hà, Anh, Ngọc, Phương, Thảo, Hằng, Mai, Hoa, Huyền, Thủy, Yến, "
    "Nhung, Quỳnh, Vân, Chi, Dung, Giang, Hạnh, Hiền, Hồng, Hường, Liên, Loan, Ly, My, Nga, "
    "Ngân, Nhi, Nhàn, Oanh, Quyên, Tâm, Thanh, Thúy, Thư, Thương, Trâm, Tuyết, Uyên, Vy, Xuân, "
    "Duyên, Huệ, Lệ, Lụa, Mơ, Nguyệt, Phượng, Tuyền, Diệp, Hậu, Vi, Châu, Diệu"
)

# Middle names by birth cohort: "Văn"/"Thị" dominate older generations and fade in younger ones.
KINH_MIDDLE_MALE_BY_ERA = (
    (
        1970,
        _weighted("Văn 60, Đức 6, Hữu 6, Xuân 5, Công 5, Đình 5, Quang 4, Ngọc 4, Minh 3, Thanh 2"),
    ),
    (
        1995,
        _weighted(
            "Văn 35, Đức 8, Minh 8, Quang 6, Hữu 5, Công 5, Thành 5, Xuân 4, Ngọc 4, Đình 4, "
            "Quốc 4, Anh 3, Tuấn 3, Mạnh 2, Trung 2, Hoàng 2"
        ),
    ),
    (
        9999,
        _weighted(
            "Văn 12, Minh 12, Đức 10, Gia 8, Quang 7, Anh 6, Hoàng 6, Quốc 6, Bảo 6, Thành 5, "
            "Đăng 4, Nhật 4, Hữu 3, Công 3, Ngọc 3, Tuấn 3, Trung 3, Khánh 3, Phúc 3, Xuân 2"
        ),
    ),
)
KINH_MIDDLE_FEMALE_BY_ERA = (
    (1970, _weighted("Thị 85, Ngọc 3, Thu 3, Thanh 3, Kim 2, Hồng 2, Minh 1, Bích 1")),
    (
        1995,
        _weighted(
            "Thị 50, Ngọc 8, Thu 7, Thanh 7, Hồng 5, Minh 4, Phương 4, Kim 4, Thúy 3, Mỹ 3, "
            "Bích 2, Lan 2, Hoài 2"
        ),
    ),
    (
        9999,
        _weighted(
            "Thị 12, Ngọc 12, Bảo 8, Minh 7, Khánh 7, Thu 6, Thanh 6, Phương 6, Gia 6, Kim 4, "
            "Hà 4, Diệu 4, Quỳnh 4, Mai 4, Hoài 3, Thảo 3, Tú 3, Yến 2"
        ),
    ),
)
# Share of four-part names ("Nguyễn Ngọc Bảo Anh") per cohort, same cut-offs as above.
KINH_FOUR_PART_SHARE = ((1970, 0.01), (1995, 0.03), (9999, 0.08))
# The second middle name of a four-part name comes from these (never Văn/Thị).
KINH_SECOND_MIDDLE_MALE = _names("Minh, Gia, Bảo, Anh, Đức, Hoàng, Quốc, Nhật, Khánh, Đăng")
KINH_SECOND_MIDDLE_FEMALE = _names("Bảo, Ngọc, Khánh, Gia, Minh, Phương, Thu, Diệu, Quỳnh, Mai")

# --- Ethnic naming styles ------------------------------------------------------------------------


@dataclass(frozen=True)
class NamingStyle:
    """How one ethnic group builds names, villages and households.

    ``order`` "surname_first" gives "Giàng A Páo"; "given_first" gives Ê Đê "Y Bông Niê".
    ``lineage`` says whose surname children take: Ê Đê and Gia Rai are matrilineal.
    ``village`` names a table in VILLAGES; ``younger`` selects the higher-fertility age table.
    ``middle_by_era`` uses the Kinh cohort tables instead of ``middle_male``/``middle_female``.
    """

    surnames: tuple[tuple[str, float], ...]
    middle_male: tuple[tuple[str, float], ...]
    middle_female: tuple[tuple[str, float], ...]
    given_male: tuple[str, ...]
    given_female: tuple[str, ...]
    village: str
    order: Literal["surname_first", "given_first"] = "surname_first"
    lineage: Literal["paternal", "maternal"] = "paternal"
    younger: bool = True
    middle_by_era: bool = False


_NONE = _weighted(" 1")  # an empty middle name

KINH = NamingStyle(
    surnames=KINH_SURNAMES,
    middle_male=KINH_MIDDLE_MALE_BY_ERA[-1][1],
    middle_female=KINH_MIDDLE_FEMALE_BY_ERA[-1][1],
    given_male=KINH_GIVEN_MALE,
    given_female=KINH_GIVEN_FEMALE,
    village="thon",
    younger=False,
    middle_by_era=True,
)

STYLES: dict[str, NamingStyle] = {
    "Kinh": KINH,
    "Tày": NamingStyle(
        surnames=_weighted(
            "Hoàng 22, Nông 14, Lương 8, Ma 7, Hà 7, Lục 5, Đàm 5, Bế 5, Nguyễn 5, Triệu 4, "
            "La 3, Ngôn 3, Mã 3, Lâm 3, Vi 2, Hứa 2, Dương 2"
        ),
        middle_male=_weighted("Văn 85, Đức 5, Minh 5, Xuân 5"),
        middle_female=_weighted("Thị 88, Thu 4, Hồng 4, Ngọc 4"),
        given_male=_names("Pắn, Dền, Phấn, Khiêm, Thắm, Kiệm") + KINH_GIVEN_MALE[:40],
        given_female=_names("Lự, Dịu, Pắn, Slí, Nhài, Hiên") + KINH_GIVEN_FEMALE[:40],
        village="ban",
    ),
    "Thái": NamingStyle(
        surnames=_weighted(
            "Lò 22, Lường 14, Cầm 12, Quàng 10, Tòng 8, Vì 8, Hà 7, Lèo 5, Điêu 5, Lù 3, Mè 3, "
            "Bạc 3"
        ),
        middle_male=_weighted("Văn 95, Xuân 5"),
        middle_female=_weighted("Thị 97, Thu 3"),
        given_male=_names(
            "Pọm, Xiêng, Ính, Bun, Khăm, Thoong, Panh, Ươn, Sương, Tiên, Chăn, Lả, Hặc, Piếng, "
            "Phanh, Sinh, Duấn, Thanh, Hùng, Dũng, Tuấn, Minh, Long, Quân"
        ),
        given_female=_names(
            "Ún, Ọn, Pọm, Xiêng, Ính, Khăm, Bun, Thoa, Ơn, Pâng, Hoa, Lả, Ỏi, Xuân, Nhung, "
            "Hương, Lan, Mai, Duyên, Thủy"
        ),
        village="ban",
    ),
    "Mường": NamingStyle(
        surnames=_weighted("Bùi 40, Đinh 20, Quách 12, Hà 10, Xa 6, Cao 6, Nguyễn 6"),
        middle_male=_weighted("Văn 80, Đức 5, Minh 5, Xuân 5, Thanh 5"),
        middle_female=_weighted("Thị 85, Thu 5, Thanh 5, Hồng 5"),
        given_male=KINH_GIVEN_MALE,
        given_female=KINH_GIVEN_FEMALE,
        village="xom",
    ),
    "H'Mông": NamingStyle(
        surnames=_weighted(
            "Giàng 18, Sùng 12, Vàng 14, Thào 12, Lý 8, Mùa 8, Hầu 5, Ly 5, Chang 4, Sình 3, "
            "Lầu 4, Cứ 3, Tráng 4"
        ),
        middle_male=_weighted("A 45, Seo 20, Mí 15, Chứ 8, Văn 12"),
        middle_female=_weighted("Thị 80, Mỷ 20"),
        given_male=_names(
            "Páo, Chứ, Sử, Dình, Súa, Pó, Dở, Chá, Lử, Tủa, Sang, Vừ, Chư, Lồng, Chinh, Pao, "
            "Giống, Sếnh, Dế, Tráng, Thề, Lềnh, Nủ, Chống"
        ),
        given_female=_names(
            "Mai, Dợ, Chở, Sua, Mỷ, Dung, Páng, Sía, Pà, Dế, Ly, Chua, Say, Mỉ, Dinh, "
            "Xúa, Pằng, Chi, Dua"
        ),
        village="ban",
    ),
    "Dao": NamingStyle(
        surnames=_weighted("Triệu 25, Bàn 20, Đặng 18, Lý 10, Phùng 7, Chảo 7, Tẩn 6, Tần 4, Lò 3"),
        middle_male=_weighted("Văn 50, Seo 20, Quẩy 15, Tà 15"),
        middle_female=_weighted("Thị 60, Mẩy 25, Tả 15"),
        given_male=_names(
            "Kiềm, Phin, Chòi, Táo, Sinh, Xuân, Lở, Chàn, Vảng, Sành, Phẩu, Kinh, Quyên, Quý, "
            "Tài, Lưu, Dùn, Phù"
        ),
        given_female=_names(
            "Mẩy, Xuân, Nái, Sinh, Chài, Liên, Mây, Dụn, Chiêu, Kiều, Phương, Hoa, Lai, Làn, Mùi"
        ),
        village="ban",
    ),
    "Nùng": NamingStyle(
        surnames=_weighted(
            "Nông 20, Hoàng 18, Lý 12, Lương 10, Vi 8, Chu 7, Hứa 6, Triệu 5, Lăng 4, Mã 4, "
            "Lục 3, Vy 3"
        ),
        middle_male=_weighted("Văn 90, Đức 5, Minh 5"),
        middle_female=_weighted("Thị 92, Thu 4, Hồng 4"),
        given_male=_names("Pảo, Sầu, Hìn, Slao, Lình, Phủ") + KINH_GIVEN_MALE[:35],
        given_female=_names("Sầu, Hìn, Mìn, Lình, Slim") + KINH_GIVEN_FEMALE[:35],
        village="ban",
    ),
    "Giáy": NamingStyle(
        surnames=_weighted("Hoàng 25, Lù 20, Vàng 15, Sần 12, Lò 10, Lồ 8, Lục 5, Giàng 5"),
        middle_male=_weighted("Văn 70, Seo 20, A 10"),
        middle_female=_weighted("Thị 95, Mỷ 5"),
        given_male=_names("Pao, Chín, Sinh, Sến, Phìn, Lìn, Hải, Dũng, Sáng, Thàng, Chấn, Hùng"),
        given_female=_names("Lìn, Kim, Sâm, Dung, Mai, Lan, Hoa, Chiều, Phương, Thanh"),
        village="ban",
    ),
    "Hà Nhì": NamingStyle(
        surnames=_weighted("Lý 30, Chu 25, Ly 15, Phu 10, Pờ 8, Lò 6, Hù 6"),
        middle_male=_weighted("A 50, Xè 20, Hờ 15, Lò 15"),
        middle_female=_weighted("Mé 45, Thị 35, Mò 20"),
        given_male=_names("Xá, Chè, Lầu, Phù, Giá, Chừ, Hừ, Gió, Sừ, Hà, Me, Kha"),
        given_female=_names("Xá, Pha, Cà, Xu, Gió, Mỳ, Sứ, Chừ, Lù, Pứ"),
        village="ban",
    ),
    "Phù Lá": NamingStyle(
        surnames=_weighted("Vàng 30, Ly 20, Sần 15, Thào 10, Lý 10, Ma 8, Hoàng 7"),
        middle_male=_weighted("Văn 50, Seo 30, A 20"),
        middle_female=_weighted("Thị 90, Mỷ 10"),
        given_male=_names("Chín, Pao, Sáng, Thành, Sính, Lử, Dùng, Phủ, Chu, Chiến"),
        given_female=_names("Dung, Mai, Chiều, Sâm, Hoa, Lan, Vui, Phương, Hương"),
        village="ban",
    ),
    "Khơ Mú": NamingStyle(
        surnames=_weighted("Vi 25, Lò 20, Quàng 15, Cụt 10, Lộc 10, Moong 8, Xồng 6, Lầu 6"),
        middle_male=_weighted("Văn 95, A 5"),
        middle_female=_weighted("Thị 100"),
        given_male=_names("Pánh, Xiêng, Bun, Khăm, Phăn, Ỏn, Lả, Thoong, Pọm, Sơn, Minh, Hùng"),
        given_female=_names("Ún, Pâng, Khăm, Bun, Ỏn, Ngân, Hoa, Lan, Mai"),
        village="ban",
    ),
    "Sán Chay": NamingStyle(
        surnames=_weighted(
            "Hoàng 20, Lâm 15, Lý 12, Trần 10, Ninh 10, Lục 8, La 8, Đàm 7, Trương 5, Hà 5"
        ),
        middle_male=_weighted("Văn 90, Đức 5, Minh 5"),
        middle_female=_weighted("Thị 95, Thu 5"),
        given_male=KINH_GIVEN_MALE[:45],
        given_female=KINH_GIVEN_FEMALE[:45],
        village="ban",
    ),
    "Sán Dìu": NamingStyle(
        surnames=_weighted(
            "Lâm 15, Tạ 12, Trương 12, Lý 10, Diệp 10, Vi 8, Đặng 8, Lưu 8, Hoàng 8, Trần 9"
        ),
        middle_male=_weighted("Văn 90, Đức 5, Minh 5"),
        middle_female=_weighted("Thị 95, Thu 5"),
        given_male=KINH_GIVEN_MALE[:45],
        given_female=KINH_GIVEN_FEMALE[:45],
        village="thon",
    ),
    "Hoa": NamingStyle(
        surnames=_weighted(
            "Lý 12, Trần 12, Lâm 12, Hứa 7, Quách 6, Mạc 4, Tăng 6, Diệp 5, Lưu 6, Dương 5, "
            "Huỳnh 7, Trương 6, Hồng 3, Lương 4, Vương 3, Tạ 3, Châu 4, Giang 3"
        ),
        middle_male=_weighted("Văn 30, Quốc 15, Gia 15, Vĩnh 10, Kiến 10, Minh 10, Chấn 10"),
        middle_female=_weighted("Thị 30, Mỹ 20, Ngọc 15, Lệ 10, Tú 10, Huệ 15"),
        given_male=_names("Phát, Tài, Lợi, Vinh, Cường, Hưng, Quang, Kiệt, Huy, Minh, Khang, Đạt"),
        given_female=_names("Linh, Phượng, Muội, Anh, Mẫn, Hoa, Lan, Ngọc, Trân, Quyên, Hà"),
        village="thon",
        younger=False,
    ),
    "Khmer": NamingStyle(
        surnames=_weighted(
            "Thạch 28, Sơn 22, Danh 15, Kim 8, Lâm 7, Châu 6, Trần 5, Lý 4, Huỳnh 3, Dương 2"
        ),
        middle_male=_weighted(" 60, Văn 40"),
        middle_female=_weighted("Thị 75,  25"),
        given_male=_names(
            "Sóc, Sa Rết, Sa Ray, Phol, Chanh, Sóc Khanh, Ri, Chăn Tha, Sa Vươn, Kha, Pho, "
            "Thươl, Sà Phiếu, Sơn, Dên, Mạnh, Hoàng, Tha"
        ),
        given_female=_names(
            "Chanh Đa, Sa Rinh, Sô Phi, Sà Ly, Ny, Srây, Mây, Đa Ra, Thi Đa, Sóc Kha, Sa Vênh, "
            "Phươl, Ngọc, Thu, Kim Mai"
        ),
        village="ap_khmer",
    ),
    "Chăm": NamingStyle(
        surnames=_weighted(
            "Đàng 20, Thiên 12, Quảng 12, Lộ 8, Báo 6, Bá 6, Châu 6, Thuận 6, Trượng 5, "
            "Hán 5, Kiều 4, Nại 4, Phú 3, Lưu 3"
        ),
        middle_male=_weighted("Văn 40, Năng 15, Minh 10, Đại 10, Xuân 10, Sanh 10, Ngọc 5"),
        middle_female=_weighted("Thị 85, Ngọc 10, Thu 5"),
        given_male=KINH_GIVEN_MALE[:40],
        given_female=KINH_GIVEN_FEMALE[:40],
        village="thon",
    ),
    # Ê Đê: "Y" + given for men, "H'" prefixed for women, clan name last: "Y Bông Niê".
    "Ê Đê": NamingStyle(
        surnames=_weighted(
            "Niê 22, Êban 14, Mlô 12, Ayun 8, Byă 8, Ktla 6, Knul 6, Adrơng 6, Hmok 5, Mđrang 5, "
            "Kbuôr 4, Ênuôl 4"
        ),
        middle_male=_NONE,
        middle_female=_NONE,
        given_male=_names(
            "Y Bông, Y Phiu, Y Ngông, Y Moan, Y Wang, Y Sơn, Y Tlam, Y Bhin, Y Khu, Y Jut, "
            "Y Dhăm, Y Blô, Y Kim, Y Thông, Y Ơn, Y Kông"
        ),
        given_female=_names(
            "H'Hen, H'Bia, H'Nhi, H'Linh, H'Mai, H'Yam, H'Ngoan, H'Zuen, H'Bhiăn, H'Năng, "
            "H'Wen, H'Lan, H'Duyên, H'Nga"
        ),
        village="buon",
        order="given_first",
        lineage="maternal",
    ),
    # Gia Rai: clan name first: "Ksor Y Phiu", "Rơ Châm H'Lanh".
    "Gia Rai": NamingStyle(
        surnames=_weighted(
            "Ksor 22, Rơ Châm 14, Siu 14, Rơ Mah 12, Nay 10, Kpă 8, Rahlan 6, Puih 6, Rơ Lan 4, "
            "Kpuih 4"
        ),
        middle_male=_NONE,
        middle_female=_NONE,
        given_male=_names(
            "Y Phiu, Phước, Hlim, Tuk, Blang, Krốc, Dơk, Nhel, Hyưu, Thu, Y Kông, Blơi, Hyoan"
        ),
        given_female=_names(
            "H'Lanh, H'Yen, H'Bơ, H'Nguyên, H'Bôn, H'Lăk, H'Nga, H'Luyn, H'Wiu, Hlăk, Bôn"
        ),
        village="plei",
        lineage="maternal",
    ),
    "Ba Na": NamingStyle(
        surnames=_weighted("Đinh 85, Rơ Ngao 15"),
        middle_male=_weighted(" 70, Văn 30"),
        middle_female=_weighted(" 60, Thị 40"),
        given_male=_names("Núp, Hmưch, Blong, Khen, Đôi, Hyơ, Kiên, Tơ, Blúp, Giót, Thuyết"),
        given_female=_names("Hơ, Bla, Hnút, H'Lan, Loan, Hlim, Brưch, Pơr, Dúi"),
        village="lang",
    ),
    # Xơ Đăng: "A" + given for men, "Y" + given for women, usually no clan name: "A Pớt".
    "Xơ Đăng": NamingStyle(
        surnames=_NONE,
        middle_male=_NONE,
        middle_female=_NONE,
        given_male=_names("A Pớt, A Hùng, A Nhút, A Thút, A Rớt, A Tuấn, A Blong, A Dũng, A Giang"),
        given_female=_names("Y Hoa, Y Phi, Y Mai, Y Lan, Y Dung, Y Nhi, Y Hương, Y Thanh"),
        village="lang",
    ),
}

# Southern Kinh (and Hoa, Chăm) villages are "ấp", not "thôn".
SOUTHERN_PROVINCES = frozenset({"75", "79", "80", "82", "86", "91", "92", "96"})

# village table -> (prefix, names). Numbers stand for numbered hamlets ("Thôn 3").
VILLAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "thon": (
        "Thôn",
        _names(
            "Tân Lập, Đồng Tâm, Thống Nhất, Hòa Bình, Quyết Tiến, Đoàn Kết, Tiến Thành, Phú Thịnh, "
            "An Lạc, Đông Thành, Trung Hòa, Bắc Sơn, Nam Tiến, Thượng, Hạ, Đông, Tây, Trung, "
            "Yên Thịnh, Phú Cường, Hưng Thịnh, Tân Phong, Tân Tiến, Tân Thành, Phúc Lợi, Minh Khai, "
            "Quang Trung, Vĩnh Phúc, Làng Mới, Đồng Lạc, Bình Minh, Hợp Nhất, Xuân Lai, Đại Đồng, "
            "Ninh Xá, Lạc Thổ, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12"
        ),
    ),
    "ap": (
        "Ấp",
        _names(
            "Tân Hòa, Phú Hòa, An Thạnh, Bình Thạnh, Long Hưng, Mỹ Lợi, Thạnh Phú, Vĩnh Lợi, "
            "Hòa Thuận, Tân Thạnh, Phước Thọ, Long Thạnh, Bình An, Xóm Mới, Mỹ Hòa, Tân Quới, "
            "Phú Mỹ, An Bình, Hưng Lợi, Thới Hòa, 1, 2, 3, 4, 5, 6, 7, 8"
        ),
    ),
    "ap_khmer": (
        "Ấp",
        _names(
            "Sóc Xoài, Sóc Tro, Prây Chóp, Tà Lọt, Ô Chum, Sà Vi, Bưng Cốc, Sóc Ruộng, Trà Sết, "
            "Kinh Xáng, Phnôm Pi, Ô Đùng, Tà Đảnh, Cà Săng, Sóc Mới"
        ),
    ),
    "ban": (
        "Bản",
        _names(
            "Nà Lùng, Nà Pồng, Pác Ngòi, Khuổi Phầy, Nà Hin, Na Lang, Tả Van, Lao Chải, Sín Chải, "
            "Lùng Phình, Sả Séng, Cán Cấu, Tả Phìn, Séo Mí Tỷ, Ý Linh Hồ, Hầu Thào, Nậm Cang, "
            "Nậm Sài, Nậm Lúc, Nậm Pung, Phìn Hồ, Ma Lù Thàng, Sà Phìn, Lũng Pù, Phiêng Luông, "
            "Huổi Lóng, Pá Khoang, Phìn Ngan, Cốc Pài, Xín Chải, Lủ Khấu, Dền Sáng, Hồng Ngài, "
            "Pa Cheo, Nà Cồ, Khe Cóc, Nặm Khắt, Tà Xùa, Mường Hum, Na Mo"
        ),
    ),
    "xom": (
        "Xóm",
        _names(
            "Mới, Bưa, Chiềng, Khoang, Lục, Vó, Bái, Đống, Ải, Trẹo, Mường Chiềng, Bai Cả, Đồi, "
            "Chằm, Sào Báy"
        ),
    ),
    "buon": (
        "Buôn",
        _names(
            "Ale A, Ko Tam, Kbu, Tơng Jú, Ea Bông, Ea Tu, Kô Êmông, Akŏ Dhông, Cư Êbur, Dhă Prong, "
            "Trấp, Đôn, Kmrơng Prông, Ea Kmar"
        ),
    ),
    "plei": (
        "Plei",
        _names("Ơi, Kép, Ring, Thơ Ga, Bông, Chuét, Ktu, Klăh, Ia Pết, Grông, Brêl, Tơ Nùng"),
    ),
    "lang": (
        "Làng",
        _names(
            "Kon Sơ Lăl, Kon Mahar, Đê Kjiêng, Kon Kơ Tu, Kon Klor, Đăk Rơ Wa, Kon Jơ Dri, "
            "Kon Hring, Đăk Wơk, Kon Rơ Bang"
        ),
    ),
}

STREETS = _names(
    "Trần Hưng Đạo, Lê Lợi, Lý Thường Kiệt, Quang Trung, Nguyễn Huệ, Hai Bà Trưng, Nguyễn Trãi, "
    "Hoàng Hoa Thám, Phan Đình Phùng, Võ Thị Sáu, Lê Hồng Phong, Nguyễn Thái Học, Trần Phú, "
    "Hùng Vương, Điện Biên Phủ, Nguyễn Du, Lý Thái Tổ, Ngô Quyền, Đinh Tiên Hoàng, Bà Triệu, "
    "Phan Chu Trinh, Phan Bội Châu, Nguyễn Văn Cừ, Lê Duẩn, Tôn Đức Thắng, Võ Nguyên Giáp, "
    "Kim Đồng, Chu Văn An, Hoàng Văn Thụ, Nguyễn Chí Thanh, Lê Thánh Tông, 30 Tháng 4, "
    "Cách Mạng Tháng Tám, Hòa Bình, Độc Lập, Trường Chinh, Nguyễn Tất Thành, Hồ Tùng Mậu, "
    "Lạc Long Quân, Âu Cơ"
)


# --- Ethnic mix per 2025 province -----------------------------------------------------------

# Approximate shares of residents (percent, renormalised on use), keyed by the 2025 province code
# of vietnamadminunits. Merged provinces blend their parts by population. Groups with no naming
# table yet (Cơ Ho, M'Nông, Xtiêng, Raglai, H'rê, Bru–Vân Kiều, Thổ, La Chí, Lô Lô …) are left
# out, which overstates the groups that remain in Lâm Đồng, Quảng Ngãi and Quảng Trị.
#
# | code | 2025 province (merged from)              | main groups                                |
# |------|------------------------------------------|--------------------------------------------|
# | 04   | Cao Bằng                                 | Tày 40, Nùng 31, H'Mông 12, Dao 10, Kinh 6 |
# | 08   | Tuyên Quang (+ Hà Giang)                 | Kinh 29, Tày 25, H'Mông 18, Dao 14         |
# | 11   | Điện Biên                                | Thái 36, H'Mông 36, Kinh 19                |
# | 12   | Lai Châu                                 | H'Mông 40, Thái 32, Kinh 14, Dao 8         |
# | 14   | Sơn La                                   | Thái 53, Kinh 17, H'Mông 17, Mường 8       |
# | 15   | Lào Cai (+ Yên Bái)                      | Kinh 45, H'Mông 19, Dao 13, Tày 12, Thái 5 |
# | 19   | Thái Nguyên (+ Bắc Kạn)                  | Kinh 60, Tày 19, Nùng 7, Dao 5             |
# | 20   | Lạng Sơn                                 | Nùng 42, Tày 36, Kinh 17, Dao 4            |
# | 25   | Phú Thọ (+ Vĩnh Phúc, Hòa Bình)          | Kinh 75, Mường 21                          |
# | 52   | Gia Lai (+ Bình Định)                    | Kinh 75, Gia Rai 17, Ba Na 7               |
# | 66   | Đắk Lắk (+ Phú Yên)                      | Kinh 76, Ê Đê 13                           |
# | 92   | Cần Thơ (+ Sóc Trăng, Hậu Giang)         | Kinh 84, Khmer 13, Hoa 3                   |
# | 86   | Vĩnh Long (+ Trà Vinh, Bến Tre)          | Kinh 89.5, Khmer 10                        |
# | —    | everywhere else (DEFAULT_MIX)            | Kinh ≈ 98.5                                |
ETHNIC_MIX: dict[str, dict[str, float]] = {
    "04": {"Tày": 40, "Nùng": 31, "H'Mông": 12, "Dao": 10, "Kinh": 6, "Sán Chay": 1},
    "08": {
        "Kinh": 29,
        "Tày": 25,
        "H'Mông": 18,
        "Dao": 14,
        "Nùng": 6,
        "Sán Chay": 4,
        "Giáy": 1,
    },
    "11": {"Thái": 36, "H'Mông": 36, "Kinh": 19, "Khơ Mú": 4, "Dao": 2, "Hà Nhì": 1, "Tày": 1},
    "12": {"H'Mông": 40, "Thái": 32, "Kinh": 14, "Dao": 8, "Hà Nhì": 4, "Giáy": 1, "Khơ Mú": 1},
    "14": {"Thái": 53, "Kinh": 17, "H'Mông": 17, "Mường": 8, "Dao": 2, "Khơ Mú": 2, "Tày": 1},
    "15": {
        "Kinh": 45,
        "H'Mông": 19,
        "Dao": 13,
        "Tày": 12,
        "Thái": 5,
        "Giáy": 2,
        "Nùng": 2,
        "Hà Nhì": 1,
        "Phù Lá": 1,
    },
    "19": {
        "Kinh": 60,
        "Tày": 19,
        "Nùng": 7,
        "Dao": 5,
        "Sán Dìu": 3,
        "Sán Chay": 2,
        "H'Mông": 2,
        "Mường": 1,
    },
    "20": {"Nùng": 42, "Tày": 36, "Kinh": 17, "Dao": 4, "Sán Chay": 1},
    "22": {"Kinh": 88, "Dao": 5, "Tày": 4, "Sán Dìu": 2, "Sán Chay": 1},
    "24": {
        "Kinh": 93,
        "Nùng": 2.6,
        "Tày": 1.5,
        "Sán Chay": 1,
        "Sán Dìu": 1,
        "Hoa": 0.5,
        "Dao": 0.4,
    },
    "25": {"Kinh": 75, "Mường": 21, "Thái": 1, "Tày": 1, "Dao": 1, "Sán Dìu": 1},
    "38": {"Kinh": 83, "Mường": 9.5, "Thái": 6.5, "H'Mông": 0.5, "Dao": 0.5},
    "40": {"Kinh": 86.5, "Thái": 10, "Khơ Mú": 1.5, "H'Mông": 1.2, "Mường": 0.8},
    "48": {"Kinh": 98, "Xơ Đăng": 1.2, "Hoa": 0.4},
    "51": {"Kinh": 85, "Xơ Đăng": 9, "Ba Na": 5, "Gia Rai": 1},
    "52": {"Kinh": 75, "Gia Rai": 17, "Ba Na": 7, "Tày": 0.5, "Nùng": 0.5},
    "56": {"Kinh": 94, "Chăm": 4.5, "Hoa": 0.5, "Ê Đê": 0.5, "Gia Rai": 0.5},
    "66": {
        "Kinh": 76,
        "Ê Đê": 13,
        "Nùng": 2.6,
        "Tày": 2,
        "Chăm": 1,
        "H'Mông": 1,
        "Dao": 0.8,
        "Thái": 0.8,
        "Mường": 0.7,
        "Gia Rai": 0.7,
    },
    "68": {"Kinh": 89, "Nùng": 2.5, "Tày": 2, "Chăm": 1.5, "H'Mông": 1.2, "Dao": 1, "Hoa": 0.8},
    "75": {"Kinh": 93.5, "Hoa": 2.5, "Nùng": 1.2, "Tày": 1, "Khmer": 0.7, "Dao": 0.3},
    "79": {
        "Kinh": 95.5,
        "Hoa": 3.5,
        "Khmer": 0.4,
        "Tày": 0.2,
        "Nùng": 0.2,
        "Chăm": 0.1,
        "Mường": 0.1,
    },
    "80": {"Kinh": 98.8, "Khmer": 0.7, "Chăm": 0.3, "Hoa": 0.2},
    "86": {"Kinh": 89.5, "Khmer": 10.2, "Hoa": 0.3},
    "91": {"Kinh": 90.5, "Khmer": 8, "Hoa": 1.2, "Chăm": 0.3},
    "92": {"Kinh": 84, "Khmer": 13, "Hoa": 3},
    "96": {"Kinh": 94, "Khmer": 5, "Hoa": 1},
}
DEFAULT_MIX: dict[str, float] = {"Kinh": 98.5, "Mường": 0.5, "Tày": 0.4, "Nùng": 0.3, "Hoa": 0.3}


def ethnic_mix(province_code: str) -> dict[str, float]:
    """Approximate resident shares (summing to 1) by ethnic group for a 2025 province code."""
    mix = ETHNIC_MIX.get(province_code, DEFAULT_MIX)
    total = sum(mix.values())
    return {group: share / total for group, share in mix.items()}


# Ordered list used for integer ethnicity codes; Kinh is 0.
ETHNICITIES: tuple[str, ...] = tuple(STYLES)
