from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "muster.readiness"
    label = "readiness"
    verbose_name = "Readiness"

    def ready(self) -> None:
        from muster.audit.chain import on_record
        from muster.readiness.changes import note

        on_record(note)
