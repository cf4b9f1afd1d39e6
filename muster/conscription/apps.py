from django.apps import AppConfig


class ConscriptionConfig(AppConfig):
    name = "muster.conscription"
    label = "conscription"

    def ready(self) -> None:
        from muster.conscription import worklist_hooks
        from muster.conscription.actions.service import service_close_for_death
        from muster.conscription.worklist_hooks import in_active_service
        from muster.reserve.hooks import register_active_service
        from muster.worklists.hooks import register_death_closer

        register_death_closer("active_service", service_close_for_death)
        register_active_service("conscription", in_active_service)
        worklist_hooks.register()
