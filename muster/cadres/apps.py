from django.apps import AppConfig


class CadresConfig(AppConfig):
    name = "muster.cadres"
    label = "cadres"

    def ready(self) -> None:
        from muster.cadres import bulk, worklist_hooks
        from muster.core.restructuring import Participant, register_participant

        register_participant(
            Participant(
                "cadres",
                plan=bulk.restructure_plan,
                apply=bulk.restructure_apply,
                revert=bulk.restructure_revert,
            )
        )
        worklist_hooks.register()
