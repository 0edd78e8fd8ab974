"""Item pipelines, one job each, in the order ``settings/default.py`` gives: extract → normalize →
focus → dedupe → index. Each is built ``from_crawler`` and can be tested alone on an item."""
