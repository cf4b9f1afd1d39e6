from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "muster.orgs"
    label = "orgs"
