from django.apps import AppConfig


class MilitiaConfig(AppConfig):
    name = "muster.militia"
    label = "militia"

    def ready(self) -> None:
        from muster.militia.actions import militia_close_for_death
        from muster.worklists.hooks import register_death_closer

        register_death_closer("militia", militia_close_for_death)
