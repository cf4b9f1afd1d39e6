from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "muster.people"
    label = "people"

    def ready(self) -> None:
        from muster.core.restructuring import Participant, register_participant
        from muster.people.bulk import restructure

        # Persons move in resumable batches, or on the fast path by rewriting both tables.
        register_participant(
            Participant(
                "people",
                plan=restructure.restructure_plan,
                apply=restructure.restructure_apply,
                revert=restructure.restructure_revert,
                batched=True,
                rewrites=restructure.TABLES,
            )
        )
