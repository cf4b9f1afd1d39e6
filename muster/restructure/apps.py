from django.apps import AppConfig


class RestructureConfig(AppConfig):
    name = "muster.restructure"
    label = "restructure"
