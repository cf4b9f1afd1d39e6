from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "muster.exercises"
    label = "exercises"
