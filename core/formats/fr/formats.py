"""French typography beyond Django's ``fr`` formats (read with ``get_format``).

French sets a narrow no-break space (U+202F) before "%" and between groups of thousands
("80,4 %", "3 763"), and writes the first of the month as an ordinal ("1er décembre",
every other day plain). Django's ``fr`` module still answers every name not set here
(DATE_FORMAT "j F Y", DECIMAL_SEPARATOR ","...).
"""

NARROW_NO_BREAK_SPACE = "\u202f"

THOUSAND_SEPARATOR = NARROW_NO_BREAK_SPACE
NUMBER_GROUPING = 3
PERCENT_FORMAT = "{}" + NARROW_NO_BREAK_SPACE + "%"
# Backslashes escape date-format characters: the literal "1er".
FIRST_DAY_FORMAT = r"\1\e\r"
# A day on a chart's axis: French abbreviations ("5 sept.", "7 déc."); Django's "M" writes
# "Sep" and "Déc" (capitalised, and June and July both "Jui").
CHART_DAY_FORMAT = "j N"
