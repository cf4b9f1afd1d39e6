from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "muster.web"
    label = "web"
