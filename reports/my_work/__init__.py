"""My work: the page (``views``), the list in SQL (``queries``) and its sources (``sources``)."""

from .views import my_work

__all__ = ["my_work"]
