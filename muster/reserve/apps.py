from django.apps import AppConfig


class ReserveConfig(AppConfig):
    name = "muster.reserve"
    label = "reserve"

    def ready(self) -> None:
        from muster.reserve import worklist_hooks
        from muster.reserve.actions import reserve_close_for_death
        from muster.worklists.hooks import register_death_closer

        register_death_closer("reserve", reserve_close_for_death)
        worklist_hooks.register()
