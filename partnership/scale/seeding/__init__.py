"""The trust-scale data set (`manage.py seed_scale`): thousands of families and years of
history, written with COPY on PostgreSQL so it builds in minutes."""
