from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "muster.orgs"
    label = "orgs"

    def ready(self) -> None:
        from muster.core.restructuring import Participant, register_participant
        from muster.orgs.bulk import restructure

        register_participant(
            Participant(
                "orgs",
                plan=restructure.restructure_plan,
                apply=restructure.restructure_apply,
                revert=restructure.restructure_revert,
            )
        )
