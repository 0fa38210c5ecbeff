"""Demo data for `manage.py seed_demo`: the catalogue, review texts, the plan and its writer."""
