from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Made-up data for trying the portal (`load_demo`) and for measuring it (`generate_load_data`).
    Neither runs with DEBUG off; no other app imports from here."""

    name = "demo"
    verbose_name = "Demo and load data"
