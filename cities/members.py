"""The network's member cities as they stand in the 2011–2012 plan, plus Copenhagen, a founder.

Joining dates are not in the plan and are left for the Secretariat to fill in; Copenhagen's leaving
date is an assumption (before the 2011 plan, which names ten members) and can be corrected in the admin.
"""

from datetime import date

MEMBER_CITIES = [
    # name, country, slug, joined, left
    ("Berlin", "Germany", "berlin", None, None),
    ("Copenhagen", "Denmark", "copenhagen", date(2002, 1, 1), date(2010, 12, 31)),
    ("Helsinki", "Finland", "helsinki", None, None),
    ("Malmö", "Sweden", "malmo", None, None),
    ("Oslo", "Norway", "oslo", None, None),
    ("Riga", "Latvia", "riga", None, None),
    ("St Petersburg", "Russia", "st-petersburg", None, None),
    ("Stockholm", "Sweden", "stockholm", None, None),
    ("Tallinn", "Estonia", "tallinn", None, None),
    ("Vilnius", "Lithuania", "vilnius", None, None),
    ("Warsaw", "Poland", "warsaw", None, None),
]
