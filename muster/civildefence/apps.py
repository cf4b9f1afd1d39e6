from django.apps import AppConfig


class CivilDefenceConfig(AppConfig):
    name = "muster.civildefence"
    label = "civildefence"

    def ready(self) -> None:
        from muster.civildefence import bulk
        from muster.core.restructuring import Participant, register_participant

        register_participant(
            Participant(
                "civildefence",
                plan=bulk.restructure_plan,
                apply=bulk.restructure_apply,
                revert=bulk.restructure_revert,
            )
        )
