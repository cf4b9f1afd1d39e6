"""Call-up pages: `candidates`, `cycle` (with `forms_cycle`), `orders` (with the public order
verification page), `person` (the person page's military-service section, with `forms_person`)
and `reports`; `error_text` words action messages in the reader's language. Routes: `urls`."""
