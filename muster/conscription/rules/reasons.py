"""Every reason code a call-up decision can carry, with its plain-language explanation in
Vietnamese and English and its legal citation. Ground codes come from `grounds.GROUNDS`; the
rest are defined here. A test checks every code the rules can emit is explained here.

Muster's own codes (not in domain-rules.md) are marked: HEALTH_PENDING (issue #4), the HC3
sub-codes, SERVED and SERVING.
"""

from __future__ import annotations

from dataclasses import dataclass

from muster.conscription.rules.grounds import GROUNDS


@dataclass(frozen=True)
class Reason:
    code: str
    vi: str
    en: str
    citation: str

    def text(self, language: str) -> str:
        return self.vi if language.startswith("vi") else self.en


_HEALTH = "Thông tư 105/2023/TT-BQP Điều 4–6"
_HC3_EXCLUSION = (
    "Thông tư 148/2018/TT-BQP Điều 4 khoản 3 điểm c (sửa đổi bởi Thông tư 68/2025/TT-BQP)"
)

_OWN = (
    Reason("CALLUP_AGE", "Ngoài độ tuổi gọi nhập ngũ (từ đủ 18 đến hết 25 tuổi; hết 27 tuổi nếu được tạm hoãn để học cao đẳng, đại học)",
           "Outside the call-up age (18th birthday to the end of age 25; end of 27 after a college or university deferral)",
           "Luật NVQS 2015, Điều 30; Thông tư 148/2018/TT-BQP Điều 4 khoản 1"),
    Reason("CALLUP_AGE_STUDENT_27", "Được tạm hoãn để học cao đẳng, đại học: độ tuổi gọi nhập ngũ đến hết 27 tuổi",
           "Deferred for college or university study: call-up age runs to the end of age 27",
           "Luật NVQS 2015, Điều 30"),
    Reason("REG_FIRST_AGE_MALE", "Chưa đăng ký nghĩa vụ quân sự (nam đủ 17 tuổi phải đăng ký)",
           "Not registered for military service (men register at 17)",
           "Luật NVQS 2015, Điều 12 khoản 1; Điều 16"),
    Reason("HEALTH_PENDING", "Chưa khám sức khỏe: đủ điều kiện, chờ khám",
           "No health examination yet: eligible, to be examined",
           "Luật NVQS 2015, Điều 40"),
    Reason("HC1", "Sức khỏe loại 1", "Health class 1", _HEALTH),
    Reason("HC2", "Sức khỏe loại 2", "Health class 2", _HEALTH),
    Reason("HC3", "Sức khỏe loại 3", "Health class 3", _HEALTH),
    Reason("HC4", "Sức khỏe loại 4: không gọi nhập ngũ", "Health class 4: not called up", _HEALTH),
    Reason("HC5", "Sức khỏe loại 5: không gọi nhập ngũ", "Health class 5: not called up", _HEALTH),
    Reason("HC6", "Sức khỏe loại 6: không gọi nhập ngũ", "Health class 6: not called up", _HEALTH),
    Reason("HC3_MYOPIA", "Sức khỏe loại 3 và cận thị vượt giới hạn (1,5 đi-ốp)",
           "Health class 3 with myopia beyond the limit (1.5 dioptres)", _HC3_EXCLUSION),
    Reason("HC3_HYPEROPIA", "Sức khỏe loại 3 và viễn thị", "Health class 3 with hyperopia",
           _HC3_EXCLUSION),
    Reason("HC3_BMI", "Sức khỏe loại 3 và chỉ số BMI dưới 18,0 hoặc trên 29,9",
           "Health class 3 with a BMI below 18.0 or above 29.9", _HC3_EXCLUSION),
    Reason("EXC_DRUG", "Nghiện ma túy, tiền chất ma túy", "Addicted to narcotics or precursors",
           "Thông tư 105/2023/TT-BQP Điều 4 khoản 1"),
    Reason("STD_EDU_DEFAULT", "Trình độ văn hóa dưới lớp 8", "Education below grade 8",
           "Thông tư 148/2018/TT-BQP Điều 4 khoản 4 điểm a"),
    Reason("STD_EDU_FALLBACK7", "Trình độ lớp 7: chỉ gọi khi địa phương không đủ chỉ tiêu, được cấp có thẩm quyền cho phép",
           "Grade 7: called only when the locality cannot meet its quota, with approval",
           "Thông tư 148/2018/TT-BQP Điều 4 khoản 4 điểm a"),
    Reason("SERVED", "Đã hoàn thành phục vụ tại ngũ", "Has completed active service",
           "Luật NVQS 2015, Điều 21, 43"),
    Reason("SERVING", "Đang phục vụ tại ngũ", "Serving on active duty", "Luật NVQS 2015, Điều 21–22"),
)  # fmt: skip

REASONS: dict[str, Reason] = {reason.code: reason for reason in _OWN} | {
    ground.code: Reason(ground.code, ground.vi, ground.en, ground.citation)
    for ground in GROUNDS.values()
}


def reason_get(code: str) -> Reason:
    return REASONS[code]
