"""Documents are not in the admin: each download must be audited as a disclosure, which only
the pages and the API do."""
