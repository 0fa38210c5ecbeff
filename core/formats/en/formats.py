"""English formats beyond Django's own (read with ``django.utils.formats.get_format``).

Django's ``en`` module still answers every name not set here; FORMAT_MODULE_PATH puts this
one first. ``core.local_formats`` reads the names below.
"""

# A percentage: "80.4%" (no space in English).
PERCENT_FORMAT = "{}%"
# How ``j`` (the day without a leading zero) reads on the first of the month: "December 1".
FIRST_DAY_FORMAT = "j"
# A day on a chart's axis: "Sept. 5", "Dec. 7" (Associated Press abbreviations, as French's).
CHART_DAY_FORMAT = "N j"
