# Django's Vietnamese formats define a thousands separator but no grouping, so 100000 stays
# unreadable; staff read "100.000".
NUMBER_GROUPING = 3
THOUSAND_SEPARATOR = "."
DECIMAL_SEPARATOR = ","
