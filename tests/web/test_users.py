"""Accounts on SQLite and PostgreSQL: argon2 hashes, roles, owners that exist, disabled accounts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ipwatch.core.storage.models import MarkRow, UserRow
from ipwatch.web.users import UserError, add_user, authenticate, set_active, set_password


@pytest.fixture
def marks(database):
    """One mark of the GI association, so that it may have brand-owner accounts."""
    with database.session() as session:
        session.add(MarkRow(id="guyang-huangqi", name="固阳黄芪", kind="gi", owner="固阳县黄芪产业协会",
                            record={"id": "guyang-huangqi"}))
    return database


@pytest.mark.parametrize(("username", "password", "role", "owner", "problem"), [
    ("Alice", "long enough pw", "officer", None, None),
    ("a", "long enough pw", "officer", None, "not a valid username"),
    ("matcher", "long enough pw", "officer", None, "reserved"),
    ("bob", "short", "officer", None, "at least 10"),
    ("bob", "long enough pw", "root", None, "not one of admin, officer, owner"),
    ("bob", "long enough pw", "owner", None, "needs --owner"),
    ("bob", "long enough pw", "owner", "某某公司", "no mark in the watchlist has owner"),
    ("bob", "long enough pw", "officer", "固阳县黄芪产业协会", "only brand owners"),
    ("bob", "long enough pw", "owner", "固阳县黄芪产业协会", None),
    ("officer", "long enough pw", "admin", None, "already exists"),
])
def test_accounts_are_checked_before_they_are_created(scene, username, password, role, owner, problem):
    with scene.database.session() as session:
        if problem is None:
            user = add_user(session, username, password, role, owner)
            assert (user.username, user.role, user.owner) == (username.lower(), role, owner)
        else:
            with pytest.raises(UserError, match=problem):
                add_user(session, username, password, role, owner)


def test_passwords_are_stored_as_argon2id_and_checked(marks):
    with marks.session() as session:
        add_user(session, "officer", "correct-horse-battery", "officer")
    with marks.session() as session:
        stored = session.scalar(select(UserRow.password_hash))
        assert stored.startswith("$argon2id$") and "correct-horse" not in stored
        assert authenticate(session, "officer", "correct-horse-battery").username == "officer"
        assert authenticate(session, "OFFICER ", "correct-horse-battery") is not None
        assert authenticate(session, "officer", "wrong-horse-battery") is None
        assert authenticate(session, "nobody", "correct-horse-battery") is None
        with pytest.raises(UserError, match="already exists"):
            add_user(session, "officer", "another-password", "admin")


def test_a_disabled_account_or_an_old_password_no_longer_signs_in(marks):
    with marks.session() as session:
        before = add_user(session, "officer", "correct-horse-battery", "officer")
        set_password(session, "officer", "battery-staple-horse")
        assert authenticate(session, "officer", "correct-horse-battery") is None
        after = authenticate(session, "officer", "battery-staple-horse")
        assert after.session_stamp != before.session_stamp  # older sessions end
        set_active(session, "officer", False)
        assert authenticate(session, "officer", "battery-staple-horse") is None
