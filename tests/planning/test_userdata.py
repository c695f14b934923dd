"""The plan in "Your data": exported, validated and restored with the rest."""

from datetime import timedelta

import pytest

from cards.learner import userdata
from cards.models import InterviewPlan, StudyBreak
from cards.planning import services
from tests.factories import make_user


def test_the_plan_and_breaks_round_trip(user, clock):
    today = user.profile.study_day(clock.now)
    services.set_interview(
        user=user,
        on=today + timedelta(days=30),
        levels=[2, 3],
        minutes_per_day=25,
        now=clock.now,
    )
    services.plan_break(
        user=user,
        starts_on=today + timedelta(days=3),
        ends_on=today + timedelta(days=5),
        now=clock.now,
    )
    blob = userdata.dumps(userdata.export_user_data(user=user))
    other = make_user(username="restored")
    for _ in range(2):  # a second import adds nothing
        userdata.import_user_data(user=other, data=userdata.parse_user_data(blob))
    row = InterviewPlan.objects.get(user=other)
    assert (row.interview_on, row.levels, row.minutes_per_day) == (
        today + timedelta(days=30),
        [2, 3],
        25,
    )
    assert list(
        StudyBreak.objects.filter(user=other).values_list("starts_on", "ends_on")
    ) == [(today + timedelta(days=3), today + timedelta(days=5))]


def test_a_file_without_a_plan_still_imports(user):
    data = userdata.export_user_data(user=user)
    del data["plan"]
    parsed = userdata.parse_user_data(userdata.dumps(data))
    assert parsed.plan is None


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ({"levels": [7]}, "plan.levels"),
        ({"minutes_per_day": 1}, "plan.minutes_per_day"),
        ({"interview_on": "soon"}, "plan.interview_on"),
        ({"breaks": [["2026-02-02", "2026-02-01"]]}, "a break ends on or after"),
    ],
)
def test_a_bad_plan_is_refused_with_a_clear_message(user, plan, message):
    data = userdata.export_user_data(user=user)
    data["plan"] |= plan
    with pytest.raises(userdata.UserDataError, match=message):
        userdata.parse_user_data(userdata.dumps(data))
