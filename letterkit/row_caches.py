"""How many results the caches keep that a mail merge fills with each row's own values.

Functions that format, check or measure one value (a date, an amount, an address line,
a paragraph) remember their results: a merge meets the sender's values, the dates and
the towns in every row. A row's own values (a client's name, street, amount) are met
once, so such a cache fills as the rows go by; kept small and least recently used first,
it still holds what every row shares, and a merge of 100,000 rows takes no more memory
for it than one of a thousand.
"""

ROW_VALUES = 512
