from django.apps import AppConfig


class ConscriptionConfig(AppConfig):
    name = "muster.conscription"
    label = "conscription"

    def ready(self) -> None:
        from muster.conscription import worklist_hooks
        from muster.conscription.actions.service import service_close_for_death
        from muster.worklists.hooks import register_death_closer

        register_death_closer("active_service", service_close_for_death)
        worklist_hooks.register()
