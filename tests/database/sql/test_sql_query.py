"""AsyncQuery: every builder and terminal method, pagination edge cases, on both databases."""

from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy.exc import MultipleResultsFound, NoResultFound
from sqlalchemy.orm import selectinload

from pyjolt.database.sql import AsyncQuery, PaginationError, SqlDatabase
from pyjolt.exceptions import BadRequest
from pyjolt.testing import PyJoltTestClient, make_app

PEOPLE = [
    ("Ada Lovelace", "ada@example.com"),
    ("Alan Turing", "alan@example.com"),
    ("Grace Hopper", "grace@example.com"),
    ("Edsger Dijkstra", "edsger@example.com"),
    ("Barbara Liskov", "barbara@example.com"),
]


@pytest.fixture
async def seeded(database: Any, models: SimpleNamespace) -> AsyncIterator[SimpleNamespace]:
    """A started app with five users; Ada has two posts, Alan one."""
    db = SqlDatabase()
    app = make_app(EXTENSIONS=[db], SQL_DATABASE=database.section(MAX_PER_PAGE=3))
    async with PyJoltTestClient(app):
        await db.create_all(models.Base)
        async with db.session_scope() as session:
            users = [models.User(fullname=n, email=e) for n, e in PEOPLE]
            session.add_all(users)
            await session.flush()
            session.add_all(
                [
                    models.Post(title="Notes", user_id=users[0].id),
                    models.Post(title="Engine", user_id=users[0].id),
                    models.Post(title="Computable numbers", user_id=users[1].id),
                ]
            )
        session = db.create_session()
        try:
            yield SimpleNamespace(db=db, session=session, User=models.User, Post=models.Post)
        finally:
            await session.close()


async def test_query_builders_are_immutable(
    seeded: SimpleNamespace,
) -> None:
    User = seeded.User
    query = User.query(seeded.session)
    assert isinstance(query, AsyncQuery)
    narrowed = query.filter(User.id > 3)
    assert narrowed is not query
    assert await query.count() == 5
    assert await narrowed.count() == 2


async def test_all_first_one(seeded: SimpleNamespace) -> None:
    User, session = seeded.User, seeded.session
    users = await User.query(session).order_by(User.id).all()
    assert [u.fullname for u in users] == [n for n, _ in PEOPLE]
    first = await User.query(session).order_by(User.fullname).first()
    assert first is not None
    assert first.fullname == "Ada Lovelace"
    assert await User.query(session).filter_by(email="nobody@example.com").first() is None
    one = await User.query(session).filter_by(email="grace@example.com").one()
    assert one.fullname == "Grace Hopper"
    with pytest.raises(NoResultFound):
        await User.query(session).filter_by(email="nobody@example.com").one()
    with pytest.raises(MultipleResultsFound):
        await User.query(session).one()
    assert await User.query(session).filter_by(id=999).one_or_none() is None


async def test_where_filter_and_filter_by(seeded: SimpleNamespace) -> None:
    User, session = seeded.User, seeded.session
    where = await User.query(session).where(User.id >= 2, User.id <= 3).order_by(User.id).all()
    assert [u.id for u in where] == [2, 3]
    chained = await User.query(session).filter(User.id > 1).filter(User.id < 3).all()
    assert [u.id for u in chained] == [2]
    by = await User.query(session).filter_by(fullname="Alan Turing", email="alan@example.com").all()
    assert [u.email for u in by] == ["alan@example.com"]


async def test_limit_offset_order_by(seeded: SimpleNamespace) -> None:
    User, session = seeded.User, seeded.session
    page = await User.query(session).order_by(User.id).offset(1).limit(2).all()
    assert [u.id for u in page] == [2, 3]
    desc = await User.query(session).order_by(User.fullname.desc()).limit(1).all()
    assert desc[0].fullname == "Grace Hopper"
    by_name = await User.query(session).order_by("-email").first()
    assert by_name is not None
    assert by_name.email == "grace@example.com"
    assert await User.query(session).order_by(User.id).limit(2).count() == 2
    with pytest.raises(ValueError, match="no column 'nope'"):
        User.query(session).order_by("nope")


async def test_join(seeded: SimpleNamespace) -> None:
    User, Post, session = seeded.User, seeded.Post, seeded.session
    authors = await User.query(session).join(Post).filter(Post.title == "Engine").all()
    assert [u.fullname for u in authors] == ["Ada Lovelace"]
    with_posts = await User.query(session).join(Post).distinct().order_by(User.id).all()
    assert [u.id for u in with_posts] == [1, 2]
    # filter_by after join names the joined model's columns (SQLAlchemy's rule)
    titled = await User.query(session).join(Post).filter_by(title="Computable numbers").all()
    assert [u.fullname for u in titled] == ["Alan Turing"]
    outer = await User.query(session).join(Post, isouter=True).filter(Post.id.is_(None)).count()
    assert outer == 3


async def test_like_and_ilike(seeded: SimpleNamespace) -> None:
    User, session = seeded.User, seeded.session
    like = await User.query(session).like(User.fullname, "A%").order_by(User.id).all()
    assert [u.fullname for u in like] == ["Ada Lovelace", "Alan Turing"]
    # LIKE is case-sensitive on PostgreSQL, not on SQLite; ILIKE is case-insensitive on both
    ilike = await User.query(session).ilike("fullname", "%LOVELACE%").all()
    assert [u.fullname for u in ilike] == ["Ada Lovelace"]
    assert await User.query(session).ilike(User.email, "GRACE@%").count() == 1
    escaped = await User.query(session).like(User.fullname, "%!_%", escape="!").count()
    assert escaped == 0


async def test_options_loads_relationships(seeded: SimpleNamespace) -> None:
    User, session = seeded.User, seeded.session
    ada = await User.query(session).options(selectinload(User.posts)).filter_by(id=1).one()
    assert sorted(p.title for p in ada.posts) == ["Engine", "Notes"]


async def test_paginate(seeded: SimpleNamespace) -> None:
    User, session = seeded.User, seeded.session
    query = User.query(session).order_by(User.id)
    first = await query.paginate(page=1, per_page=2)
    assert [u.id for u in first["items"]] == [1, 2]
    assert {k: v for k, v in first.items() if k != "items"} == {
        "total": 5,
        "page": 1,
        "pages": 3,
        "per_page": 2,
        "has_next": True,
        "has_prev": False,
    }
    last = await query.paginate(page=3, per_page=2)
    assert [u.id for u in last["items"]] == [5]
    assert (last["has_next"], last["has_prev"]) == (False, True)
    beyond = await query.paginate(page=9, per_page=2)
    assert beyond["items"] == []
    assert beyond["total"] == 5
    assert beyond["pages"] == 3
    exact = await query.paginate(page=1, per_page=3, max_per_page=5)
    assert exact["pages"] == 2
    filtered = await query.filter(User.id > 10).paginate()
    assert filtered == {
        "items": [],
        "total": 0,
        "page": 1,
        "pages": 0,
        "per_page": 3,
        "has_next": False,
        "has_prev": False,
    }
    # limit/offset set on the query are replaced by the page's own
    limited = await query.limit(1).offset(4).paginate(page=2, per_page=2)
    assert [u.id for u in limited["items"]] == [3, 4]
    assert limited["total"] == 5


@pytest.mark.parametrize(
    ("page", "per_page", "message"),
    [
        (0, 2, "page must be at least 1"),
        (-1, 2, "page must be at least 1"),
        (1, 0, "per_page must be at least 1"),
        (1, 4, "per_page must be at most 3"),
        ("x", 2, "page must be an integer"),
        (True, 2, "page must be an integer"),
    ],
)
async def test_paginate_rejects_bad_arguments(
    seeded: SimpleNamespace, page: Any, per_page: Any, message: str
) -> None:
    with pytest.raises(PaginationError, match=message) as info:
        await seeded.User.query(seeded.session).paginate(page=page, per_page=per_page)
    assert isinstance(info.value, BadRequest)
    assert info.value.status_code == 400


async def test_paginate_accepts_numeric_strings(seeded: SimpleNamespace) -> None:
    result = await seeded.User.query(seeded.session).paginate(page="2", per_page="2")  # type: ignore[arg-type]
    assert result["page"] == 2
    assert len(result["items"]) == 2


@pytest.mark.parametrize(
    ("misuse", "message"),
    [
        (lambda q: q.order_by("nope"), "no column 'nope'"),
        (lambda q: q.order_by("_sa_class_manager"), "no column"),
        (lambda q: q.like("query", "x%"), "no column 'query'"),
        (lambda q: q.limit("abc"), "limit must be a whole number"),
        (lambda q: q.limit(-1), "limit must be a whole number"),
        (lambda q: q.offset(-5), "offset must be a whole number"),
        (lambda q: q.filter_by(unknown=1), "filter_by"),
    ],
)
async def test_query_helper_misuse_is_a_400(
    seeded: SimpleNamespace, misuse: Any, message: str
) -> None:
    """Misuse with request data (a sort key or a limit from the query string) is the client's
    mistake: a BadRequest with the reason, which the app answers as 400, never a 500."""
    with pytest.raises(BadRequest, match=message) as info:
        misuse(seeded.User.query(seeded.session))
    assert info.value.status_code == 400
