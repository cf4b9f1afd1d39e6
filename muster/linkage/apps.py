from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "muster.linkage"
    label = "linkage"
