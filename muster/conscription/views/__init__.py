"""Call-up pages: `candidates`, `cycle` (with `forms_cycle`), `orders` (with the public order
verification page), `person` (the person page's military-service section, with `forms_person`)
and `reports`; actions' errors are worded by `core.wording`. Routes: `urls`."""
