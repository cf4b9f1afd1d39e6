from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "muster.geo"
    label = "geo"
