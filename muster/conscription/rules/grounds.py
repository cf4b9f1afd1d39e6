"""The coded table of legal grounds a decision can rest on: deferral and exemption of call-up
(MSL Art. 41), bars and exemptions from registration (MSL Art. 13–14) and recognition of
completed service (MSL Art. 4(4)). Codes are those of docs/domain-rules (§0.4–0.7).

A decision's `kind` says what it does on the reference date: a `deferral` makes the man
`deferred`, an `exemption` `exempt`, a `completion` `already_served`.
"""

from __future__ import annotations

from dataclasses import dataclass


class DecisionKind:
    DEFERRAL = "deferral"
    EXEMPTION = "exemption"
    COMPLETION = "completion"
    ALL = (DEFERRAL, EXEMPTION, COMPLETION)


@dataclass(frozen=True)
class Ground:
    code: str
    kind: str
    citation: str
    vi: str
    en: str
    sexes: frozenset[str] = frozenset({"M"})
    # Age (whole years) on the decision date the ground can apply at, both ends inclusive.
    min_age: int = 17
    max_age: int = 27
    # "One child / one brother" grounds: only one member of a family may use them.
    one_per_family: bool = False


_ART41 = "Luật NVQS 2015, Điều 41"
_MEN_AND_WOMEN = frozenset({"M", "F"})

_GROUNDS = (
    # Deferral of call-up, MSL Art. 41(1).
    Ground("DEF_HEALTH", "deferral", f"{_ART41} khoản 1 điểm a",
           "Chưa đủ sức khỏe phục vụ tại ngũ theo kết luận của Hội đồng khám sức khỏe",
           "Not yet fit for active service, as concluded by the health examination council"),
    Ground("DEF_SOLE_CARER", "deferral", f"{_ART41} khoản 1 điểm b",
           "Là lao động duy nhất trực tiếp nuôi dưỡng thân nhân không còn khả năng lao động hoặc chưa đến tuổi lao động",
           "The only labourer directly supporting relatives who cannot work or are under working age"),
    Ground("DEF_FAMILY_DISASTER", "deferral", f"{_ART41} khoản 1 điểm b",
           "Gia đình bị thiệt hại nặng về người và tài sản do tai nạn, thiên tai, dịch bệnh nguy hiểm, được UBND cấp xã xác nhận",
           "The family suffered heavy loss of life and property from an accident, disaster or epidemic, confirmed by the commune"),
    Ground("DEF_CHILD_OF_DISABLED_61_80", "deferral", f"{_ART41} khoản 1 điểm c",
           "Một con của bệnh binh, người nhiễm chất độc da cam suy giảm khả năng lao động từ 61% đến 80%",
           "One child of a sick veteran or Agent Orange victim with working capacity reduced by 61–80%",
           one_per_family=True),
    Ground("DEF_SIBLING_SERVING", "deferral", f"{_ART41} khoản 1 điểm d",
           "Có anh, chị hoặc em ruột là hạ sĩ quan, binh sĩ đang phục vụ tại ngũ hoặc thực hiện nghĩa vụ tham gia CAND",
           "A brother or sister is serving as an active-duty NCO or soldier, or doing People's Public Security duty"),
    Ground("DEF_RESETTLEMENT", "deferral", f"{_ART41} khoản 1 điểm đ",
           "Người thuộc diện di dân, giãn dân trong 03 năm đầu đến xã đặc biệt khó khăn theo dự án của Nhà nước",
           "Migrant or resettled person in the first 3 years in an especially difficult commune under a state project"),
    Ground("DEF_HARDSHIP_POSTING", "deferral", f"{_ART41} khoản 1 điểm e",
           "Cán bộ, công chức, viên chức, thanh niên xung phong được điều động đến vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn",
           "Cadre, civil servant, public employee or youth volunteer posted to an especially difficult area"),
    Ground("DEF_STUDENT", "deferral", f"{_ART41} khoản 1 điểm g",
           "Đang học tại cơ sở giáo dục phổ thông; đang được đào tạo trình độ đại học, cao đẳng hệ chính quy",
           "In general education, or in full-time university or college study"),
    Ground("DEF_STANDING_MILITIA", "deferral", f"{_ART41} khoản 1 điểm h (Luật DQTV 2019, Điều 49)",
           "Dân quân thường trực", "Serving in the standing militia", min_age=18),
    # Exemption from call-up in peacetime, MSL Art. 41(2).
    Ground("EX_MARTYR_CHILD", "exemption", f"{_ART41} khoản 2 điểm a",
           "Con của liệt sĩ", "Child of a martyr"),
    Ground("EX_WIA1_CHILD", "exemption", f"{_ART41} khoản 2 điểm a",
           "Con của thương binh hạng một", "Child of a class-1 war invalid"),
    Ground("EX_MARTYR_SIBLING", "exemption", f"{_ART41} khoản 2 điểm b",
           "Một anh hoặc em trai của liệt sĩ", "One brother of a martyr", one_per_family=True),
    Ground("EX_WIA2_CHILD", "exemption", f"{_ART41} khoản 2 điểm c",
           "Một con của thương binh hạng hai", "One child of a class-2 war invalid",
           one_per_family=True),
    Ground("EX_SICK_VET_81_CHILD", "exemption", f"{_ART41} khoản 2 điểm c",
           "Một con của bệnh binh suy giảm khả năng lao động từ 81% trở lên",
           "One child of a sick veteran with working capacity reduced by 81% or more",
           one_per_family=True),
    Ground("EX_AGENT_ORANGE_81_CHILD", "exemption", f"{_ART41} khoản 2 điểm c",
           "Một con của người nhiễm chất độc da cam suy giảm khả năng lao động từ 81% trở lên",
           "One child of an Agent Orange victim with working capacity reduced by 81% or more",
           one_per_family=True),
    Ground("EX_CIPHER", "exemption", f"{_ART41} khoản 2 điểm d",
           "Người làm công tác cơ yếu không phải là quân nhân, CAND",
           "Cipher staff who are not soldiers or police"),
    Ground("EX_HARDSHIP_POSTING_24M", "exemption", f"{_ART41} khoản 2 điểm đ",
           "Cán bộ, công chức, viên chức, thanh niên xung phong công tác ở vùng đặc biệt khó khăn từ 24 tháng trở lên",
           "Cadre, civil servant, public employee or youth volunteer posted to an especially difficult area for 24 months or more"),
    # Not registered (MSL Art. 13): a bar while the measure lasts, so it defers.
    Ground("NR_CRIMINAL_PROC", "deferral", "Luật NVQS 2015, Điều 13 khoản 1 điểm a",
           "Đang bị truy cứu trách nhiệm hình sự", "Under criminal prosecution", max_age=45),
    Ground("NR_SENTENCE", "deferral", "Luật NVQS 2015, Điều 13 khoản 1 điểm a",
           "Đang chấp hành án phạt tù, cải tạo không giam giữ, quản chế hoặc đã chấp hành xong hình phạt nhưng chưa được xóa án tích",
           "Serving a sentence, non-custodial reform or probation, or a sentence not yet expunged",
           max_age=45),
    Ground("NR_ADMIN_MEASURE", "deferral", "Luật NVQS 2015, Điều 13 khoản 1 điểm b",
           "Đang bị áp dụng biện pháp giáo dục tại xã hoặc đưa vào trường giáo dưỡng, cơ sở giáo dục bắt buộc, cơ sở cai nghiện bắt buộc",
           "Under commune education, or in a reformatory, compulsory education or drug-rehabilitation facility",
           max_age=45),
    Ground("NR_STRIPPED", "deferral", "Luật NVQS 2015, Điều 13 khoản 1 điểm c",
           "Bị tước quyền phục vụ trong lực lượng vũ trang nhân dân",
           "Stripped of the right to serve in the armed forces", max_age=45),
    # Exempt from registration (MSL Art. 14).
    Ground("REGEX_DISABILITY", "exemption", "Luật NVQS 2015, Điều 14",
           "Người khuyết tật", "Person with a disability", _MEN_AND_WOMEN, max_age=45),
    Ground("REGEX_SERIOUS_ILLNESS", "exemption", "Luật NVQS 2015, Điều 14",
           "Người mắc bệnh hiểm nghèo", "Person with a serious illness", _MEN_AND_WOMEN,
           max_age=45),
    Ground("REGEX_MENTAL_ILLNESS", "exemption", "Luật NVQS 2015, Điều 14",
           "Người mắc bệnh tâm thần", "Person with a mental illness", _MEN_AND_WOMEN, max_age=45),
    Ground("REGEX_CHRONIC_ILLNESS", "exemption", "Luật NVQS 2015, Điều 14",
           "Người mắc bệnh mãn tính theo quy định của pháp luật",
           "Person with a chronic illness as defined by law", _MEN_AND_WOMEN, max_age=45),
    # Recognised as having completed active service (MSL Art. 4(4)).
    Ground("DONE_STANDING_MILITIA_24M", "completion", "Luật NVQS 2015, Điều 4 khoản 4 điểm a",
           "Đã phục vụ trong dân quân thường trực ít nhất 24 tháng",
           "At least 24 months of standing militia service", min_age=18, max_age=45),
    Ground("DONE_COMMUNE_POLICE_36M", "completion", "Luật NVQS 2015, Điều 4 khoản 4 điểm b",
           "Đã phục vụ trong Công an xã liên tục từ đủ 36 tháng trở lên",
           "Served in commune police continuously for at least 36 months", min_age=18, max_age=45),
    Ground("DONE_RESERVE_OFFICER", "completion", "Luật NVQS 2015, Điều 4 khoản 4 điểm c",
           "Đã được đào tạo và phong quân hàm sĩ quan dự bị",
           "Trained and commissioned as a reserve officer", min_age=18, max_age=45),
    Ground("DONE_ECON_DEF_24M", "completion", "Luật NVQS 2015, Điều 4 khoản 4 điểm d",
           "Tình nguyện phục vụ tại đoàn kinh tế - quốc phòng từ đủ 24 tháng trở lên",
           "Volunteered at least 24 months in an economic-defence corps", min_age=18, max_age=45),
    Ground("DONE_FISHERIES_24M", "completion", "Luật NVQS 2015, Điều 4 khoản 4 điểm đ",
           "Đã phục vụ trên tàu kiểm ngư từ đủ 24 tháng trở lên",
           "At least 24 months on a fisheries-surveillance vessel", min_age=18, max_age=45),
)  # fmt: skip

GROUNDS: dict[str, Ground] = {ground.code: ground for ground in _GROUNDS}

# Grounds that reveal what the law does not publish (the deferral and exemption lists of MSL
# Art. 41(4) are public; criminal proceedings and sentences, administrative measures such as
# compulsory rehabilitation, disability and illness are not): stored as keyed pseudonyms
# (`core.sealed`, docs/security.md).
SEALED_GROUND_CODES = frozenset(code for code in GROUNDS if code.startswith(("NR_", "REGEX_")))

# The grounds the deferral import accepts (domain-rules §0.5–0.6).
CALLUP_GROUND_CODES = frozenset(code for code in GROUNDS if code.startswith(("DEF_", "EX_")))


def ground_get(code: str) -> Ground | None:
    return GROUNDS.get(code)
