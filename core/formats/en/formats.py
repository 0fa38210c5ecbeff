"""English formats beyond Django's own (read with ``django.utils.formats.get_format``).

Django's ``en`` module still answers every name not set here; FORMAT_MODULE_PATH puts this
one first. ``core.local_formats`` reads the two names below.
"""

# A percentage: "80.4%" (no space in English).
PERCENT_FORMAT = "{}%"
# How ``j`` (the day without a leading zero) reads on the first of the month: "December 1".
FIRST_DAY_FORMAT = "j"
