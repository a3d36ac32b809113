"""Contacts are not in the admin: they are personal data, and every consultation of a
person's record goes through the pages or the API, which audit it."""
