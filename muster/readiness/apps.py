from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "muster.readiness"
    label = "readiness"
    verbose_name = "Readiness"
