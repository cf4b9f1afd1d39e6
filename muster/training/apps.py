from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "muster.training"
    label = "training"

    def ready(self) -> None:
        from muster.training import worklist_hooks

        worklist_hooks.register()
