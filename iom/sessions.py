"""Sessions in the database, renewed at most once a minute.

The idle time-out lives in each session row's expiry date: a save moves it to the time-out
(``SESSION_COOKIE_AGE``) from now, and ``SESSION_SAVE_EVERY_REQUEST`` has every request save
the session. Writing the row on every request, though, costs every page an UPDATE. This store
leaves out a save that would change nothing but the expiry, and move it by less than
``SESSION_RENEW_AFTER_SECONDS``: a session still ends at most the time-out after its last
request (never later), and at the earliest that minute sooner. A session whose data changed
is always saved, and so is a new one.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.sessions.backends import db


class SessionStore(db.SessionStore):
    _stored_expiry: datetime.datetime | None = None

    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        self._stored_expiry = session.expire_date if session is not None else None
        return session

    async def _aget_session_from_db(self):
        session = await super()._aget_session_from_db()
        self._stored_expiry = session.expire_date if session is not None else None
        return session

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        self._stored_expiry = instance.expire_date
        return instance

    async def acreate_model_instance(self, data):
        instance = await super().acreate_model_instance(data)
        self._stored_expiry = instance.expire_date
        return instance

    def _renewed_recently(self) -> bool:
        """Whether the row was written less than ``SESSION_RENEW_AFTER_SECONDS`` ago (and
        less than half the time-out, should the time-out be that short), as far as its
        expiry date tells. The session's data must have been loaded."""
        if self._stored_expiry is None:
            return False
        seconds = min(settings.SESSION_RENEW_AFTER_SECONDS, self.get_expiry_age() // 2)
        return self.get_expiry_date() - self._stored_expiry < datetime.timedelta(seconds=seconds)

    def save(self, must_create: bool = False) -> None:
        if not must_create and self.session_key is not None and not self.modified:
            self._get_session()  # loads the row, and with it its expiry, if not done yet
            if self.session_key is not None and self._renewed_recently():
                return
        super().save(must_create=must_create)

    async def asave(self, must_create: bool = False) -> None:
        if not must_create and self.session_key is not None and not self.modified:
            await self._aget_session()
            if self.session_key is not None and self._renewed_recently():
                return
        await super().asave(must_create=must_create)
