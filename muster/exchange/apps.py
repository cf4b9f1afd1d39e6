from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "muster.exchange"
    label = "exchange"
