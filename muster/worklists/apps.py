from django.apps import AppConfig


class WorklistsConfig(AppConfig):
    name = "muster.worklists"
    label = "worklists"
