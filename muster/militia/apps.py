from django.apps import AppConfig


class MilitiaConfig(AppConfig):
    name = "muster.militia"
    label = "militia"

    def ready(self) -> None:
        from muster.core.restructuring import Participant, register_participant
        from muster.militia import bulk, worklist_hooks
        from muster.militia.actions import militia_close_for_death
        from muster.worklists.hooks import register_death_closer

        register_death_closer("militia", militia_close_for_death)
        register_participant(
            Participant(
                "militia",
                plan=bulk.restructure_plan,
                apply=bulk.restructure_apply,
                revert=bulk.restructure_revert,
            )
        )
        worklist_hooks.register()
