# Spanish numbers as Lienzo's users write them: 1.800.000 and 4,1 (Django's own Spanish
# formats group thousands with a non-breaking space). Everything else is Django's.
from django.conf.locale.es.formats import *  # noqa: F403

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
