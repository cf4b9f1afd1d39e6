from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "muster.core"
    label = "core"

    def ready(self) -> None:
        from muster.core import lookups  # noqa: F401  (registers field__in_array)
