""" "Your data" for FSRS learners: export, import, the new settings (issue 19)."""

import json
from datetime import date

import pytest

from cards.learner import userdata
from cards.models import LearnerProfile, ReviewLog, ReviewSchedule
from tests.factories import make_schedule, make_user
from tests.learner.test_data import export, import_, mutate, study, wipe


@pytest.fixture
def fsrs_learner(questions):
    user = make_user(username="fsrs", scheduler="fsrs", desired_retention="0.85")
    study(user, questions[:6], 120, seed=5)
    return user


def test_an_fsrs_learner_round_trips_byte_for_byte(fsrs_learner):
    first = export(fsrs_learner)
    data = json.loads(first)
    assert data["settings"]["scheduler"] == "fsrs"
    assert data["settings"]["desired_retention"] == "0.85"
    assert {s["scheduler"] for s in data["schedules"]} == {"fsrs"}
    assert {"stability", "difficulty", "phase"} <= set(data["schedules"][0]["state"])
    wipe(fsrs_learner)
    import_(fsrs_learner, first)
    assert export(fsrs_learner) == first
    again = import_(fsrs_learner, first)
    assert (again.schedules_added, again.reviews_added) == (0, 0)


def test_a_file_from_before_fsrs_imports_as_sm2_at_ninety_percent(questions):
    user = make_user(username="old")
    study(user, questions[:3], 20, seed=6)
    data = json.loads(export(user))
    del data["settings"]["scheduler"], data["settings"]["desired_retention"]
    newcomer = make_user(username="newcomer", scheduler="fsrs")
    import_(newcomer, json.dumps(data).encode())
    profile = LearnerProfile.objects.get(user=newcomer)
    assert (profile.scheduler, str(profile.desired_retention)) == ("sm2", "0.90")


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("settings.scheduler", "sm3", "must be one of sm2, fsrs"),
        ("settings.desired_retention", "0.99", "from 0.70 to 0.97"),
        ("settings.desired_retention", 0.9, "from 0.70 to 0.97"),
        ("schedules.0.state.stability", -1.0, "stability must be"),
        ("schedules.0.state.phase", "done", "phase must be"),
    ],
)
def test_bad_fsrs_fields_are_refused_whole(fsrs_learner, path, value, message):
    data = mutate(json.loads(export(fsrs_learner)), path, value)
    user = make_user()
    with pytest.raises(userdata.UserDataError, match=message):
        import_(user, json.dumps(data).encode())
    assert not ReviewSchedule.objects.filter(user=user).exists()
    assert not ReviewLog.objects.filter(user=user).exists()
    assert LearnerProfile.objects.get(user=user).scheduler == "sm2"


def test_importing_fsrs_settings_converts_the_cards_already_here(
    fsrs_learner, questions
):
    blob = export(fsrs_learner)
    other = make_user(username="other")
    mine = make_schedule(user=other, question=questions[-1], due_on=date(2026, 2, 1))
    import_(other, blob)
    mine.refresh_from_db()
    assert mine.scheduler == "fsrs" and mine.due_on == date(2026, 2, 1)
    assert set(
        ReviewSchedule.objects.filter(user=other).values_list("scheduler", flat=True)
    ) == {"fsrs"}
