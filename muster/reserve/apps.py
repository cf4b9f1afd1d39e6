from django.apps import AppConfig


class ReserveConfig(AppConfig):
    name = "muster.reserve"
    label = "reserve"

    def ready(self) -> None:
        from muster.core.restructuring import Participant, register_participant
        from muster.reserve import bulk, worklist_hooks
        from muster.reserve.actions import reserve_close_for_death
        from muster.worklists.hooks import register_death_closer

        register_death_closer("reserve", reserve_close_for_death)
        worklist_hooks.register()
        register_participant(
            Participant(
                "reserve",
                plan=bulk.restructure_plan,
                apply=bulk.restructure_apply,
                revert=bulk.restructure_revert,
            )
        )
