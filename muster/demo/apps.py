from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "muster.demo"
    label = "demo"
