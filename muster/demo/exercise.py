"""The demo's finished civil-defence exercise with its review (issue 19): the provincial command
plays the September 2024 flood on the Red River zone a few weeks before today, with the
commands of the flooded communes, some of their militia members and the means on record; a
timeline of injects and actions; attendance (recorded as militia training by finishing it); and
an after-action review with follow-ups owned by the provincial user.

Everything goes through `exercises.actions`; a rerun finds the exercise by name and leaves it.
Small on purpose: a handful of commands and at most `MEMBERS` members.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from muster.accounts.models import User
from muster.exercises import actions
from muster.exercises.models import Exercise
from muster.militia.models import MilitiaMembership
from muster.orgs.models import OrgUnit

NAME = "Diễn tập ứng phó lũ sông Hồng (kịch bản tháng 9/2024)"
MEMBERS = 24
COMMANDS = 4

TIMELINE = (
    (
        "inject",
        0,
        time(7, 0),
        "Bản tin: bão số 3 suy yếu, mưa lớn diện rộng; cấp độ rủi ro thiên tai cấp 3.",
    ),
    ("action", 0, time(7, 30), "Ban Chỉ huy PTDS tỉnh họp trực tuyến với các xã ven sông Hồng."),
    ("inject", 0, time(9, 0), "Nước sông Hồng tại trạm Lào Cai vượt báo động 3."),
    (
        "action",
        0,
        time(9, 20),
        "Các xã ven sông phát lệnh sơ tán hộ dân vùng trũng đến điểm tập kết.",
    ),
    (
        "inject",
        0,
        time(11, 0),
        "Một điểm sạt lở chia cắt đường vào thôn; 12 hộ bị cô lập (giả định).",
    ),
    (
        "action",
        0,
        time(11, 40),
        "Tổ dân quân cơ động cùng xuồng cứu hộ tiếp cận, đưa người già, trẻ em ra ngoài.",
    ),
    ("action", 1, time(8, 0), "Kiểm đếm người tại điểm sơ tán; báo cáo về Ban Chỉ huy PTDS tỉnh."),
)

FINDINGS = (
    ("strength", "Lệnh sơ tán đến các xã trong 20 phút; dân quân có mặt đủ quân số.", "", 0),
    (
        "shortcoming",
        "Liên lạc với thôn bị cô lập gián đoạn 40 phút khi mất sóng di động.",
        "Trang bị thêm máy thông tin vô tuyến cho các xã ven sông.",
        60,
    ),
    (
        "shortcoming",
        "Điểm tập kết ở trường học thiếu áo phao và đèn chiếu sáng.",
        "Bổ sung áo phao, đèn vào danh mục phương tiện tại chỗ của xã.",
        30,
    ),
)


@dataclass(frozen=True)
class ExerciseResult:
    exercise_id: int
    members: int
    training_sessions: int
    created: bool


def exercise_stage(
    *,
    provincial: OrgUnit,
    commands: list[OrgUnit],
    hazard_key: str,
    means: list[str],
    owner: User | None,
    today: date,
    seed: int,
) -> ExerciseResult:
    """Build the finished exercise (once) for `commands` playing `hazard_key`."""
    found = Exercise.objects.filter(name=NAME, unit=provincial).first()
    if found is not None:
        return ExerciseResult(found.pk, found.participants.filter(kind="member").count(), 0, False)
    rng = random.Random(seed)
    held = today - timedelta(days=45)
    exercise = actions.exercise_create(
        unit=provincial,
        name=NAME,
        scenario=(
            "Kịch bản tổng hợp (dữ liệu mô phỏng): mưa lớn sau bão Yagi, lũ sông Hồng và sông Chảy "
            "vượt báo động 3 như ngày 09/09/2024; sơ tán dân vùng trũng, cứu hộ thôn bị cô lập."
        ),
        hazard_key=hazard_key,
        starts_on=held,
        ends_on=held + timedelta(days=1),
        training_days=2,
        acting_user=None,
    )
    chosen = commands[:COMMANDS]
    for command in chosen:
        actions.exercise_participant_add(exercise=exercise, unit=command, acting_user=None)
    pool = list(
        MilitiaMembership.objects.as_of(held)
        .filter(unit__in=chosen)
        .select_related("person", "unit")
        .order_by("unit__code", "person_id")
    )
    members = rng.sample(pool, min(MEMBERS, len(pool)))
    for membership in members:
        actions.exercise_participant_add(exercise=exercise, membership=membership, acting_user=None)
    for words in means[:6]:
        actions.exercise_participant_add(exercise=exercise, means=words, acting_user=None)
    for kind, offset, clock, text in TIMELINE:
        actions.exercise_event_record(
            exercise=exercise,
            at=timezone.make_aware(datetime.combine(held + timedelta(days=offset), clock)),
            kind=kind,
            text=text,
            acting_user=None,
        )
    # Most attended both days; a few one day; one in ten missed it.
    attended = {m.person_id: rng.choices((2, 1, 0), weights=(7, 2, 1))[0] for m in members}
    counts = actions.exercise_finish(
        exercise=exercise, attended=attended, finished_on=held + timedelta(days=1), acting_user=None
    )
    for kind, text, follow_up, due_in in FINDINGS:
        actions.exercise_finding_record(
            exercise=exercise,
            kind=kind,
            text=text,
            follow_up=follow_up if owner is not None else "",
            owner=owner if follow_up else None,
            due_on=held + timedelta(days=due_in) if follow_up else None,
            acting_user=None,
        )
    return ExerciseResult(exercise.pk, counts["members"], counts["sessions"], True)
