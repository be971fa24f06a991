# English dates as the network writes them (31 Jul 2011, 14:05), not the American defaults (07/31/2011,
# 2:05 p.m.). Templates say DATE_FORMAT or DATETIME_FORMAT only; every other language keeps Django's own.
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday
