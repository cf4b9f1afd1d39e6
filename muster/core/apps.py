from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "muster.core"
    label = "core"
