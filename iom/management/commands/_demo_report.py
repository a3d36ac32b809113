"""What ``seed_demo`` prints: what each app created, and one short table of the logins that
are worth signing in as, with what to try."""

from __future__ import annotations

import datetime

from iom.demo import AREA_NAME, Login, SeedResult
from iom.formatting import long_date


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  " + "  ".join([*cells, row[-1]]))
    return lines


def _logins(command, results: list[tuple[str, SeedResult]]) -> None:
    out = command.stdout
    logins: list[Login] = [login for _, result in results for login in result.logins]
    if not logins:
        return
    visible: dict[str, int] = {}
    for _, result in results:
        visible.update(result.visible)
    rows = [("Username", "Who", "What to try")]
    for login in logins:
        if not login.tries:
            continue
        sees = f" (sees {visible[login.username]} people)" if visible.get(login.username) else ""
        rows.append((login.username, login.who or login.role, f"{login.tries}{sees}"))
    out.write("")
    out.write(command.style.MIGRATE_HEADING("Demo logins"))
    for i, line in enumerate(_table(rows)):
        out.write(command.style.MIGRATE_LABEL(line) if i == 0 else line)
    others = [login.username for login in logins if not login.tries]
    if others:
        out.write(f"  Also: {', '.join(others)} (more officers and partner workers).")
    for password in sorted({result.password for _, result in results if result.password}):
        out.write("")
        out.write(f"Password for every demo login: {password}")


def report(command, results, seconds: float, today: datetime.date) -> None:
    out = command.stdout
    out.write(command.style.MIGRATE_HEADING(f"{AREA_NAME} demo data, as of {long_date(today)}"))
    for label, result in results:
        if result.created:
            made = ", ".join(f"{n} {kind}" for kind, n in result.created.items())
            out.write(f"  {label}: created {made}")
        else:
            out.write(f"  {label}: already seeded, nothing created")
        for line in result.summary:
            out.write(f"  {line}")
        for note in result.notes:
            out.write(command.style.WARNING(f"  {label}: {note}"))
    out.write(f"  Done in {seconds:.1f} s. Every person and place is fictional.")
    _logins(command, results)
