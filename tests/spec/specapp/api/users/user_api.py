"""The spec's app/api/users/user_api.py, with the endpoints of the spec's other examples."""

from typing import Any

from pydantic import BaseModel

from pyjolt import HttpStatus, MediaType, Request, Response, abort, html_abort
from pyjolt.controller import (
    GET,
    Controller,
    Descriptor,
    after_request,
    before_request,
    consumes,
    cors,
    delete,
    development,
    get,
    no_cors,
    open_api_docs,
    patch,
    path,
    post,
    produces,
    put,
    socket,
)
from pyjolt.database import AsyncSession
from tests.spec.specapp.api.exceptions.custom_exceptions import EntityNotFound
from tests.spec.specapp.api.models import User
from tests.spec.specapp.authentication import UserRoles, auth
from tests.spec.specapp.extensions import cache, db
from tests.spec.specapp.scheduler import scheduler

HOOKS: list[str] = []
CACHE_CALLS: list[int] = []
SENT: list[str] = []


async def send_email(address: str, *, subject: str) -> None:
    SENT.append(f"{address}:{subject}")


class UserData(BaseModel):
    email: str
    fullname: str


class UserOut(BaseModel):
    id: int
    fullname: str


class ErrorResponse(BaseModel):
    message: str


class ResponseModel(BaseModel):
    message: str
    status: str
    data: Any = None


@path("/api/v1/users", tags=["Users"])
class UsersApi(Controller):
    @before_request
    async def before_request_method(self, req: Request):
        """Some before request logic"""
        req.state.before = "yes"
        HOOKS.append("before")

    @after_request
    async def after_request_method(self, res: Response):
        """Some after request logic"""
        res.set_header("x-after", "yes")
        HOOKS.append("after")

    @get("/")
    @produces(MediaType.APPLICATION_JSON)
    async def get_users(self, req: Request) -> Response[ResponseModel]:
        """Endpoint for returning all app users"""
        session = db.create_session()
        users = await User.query(session).all()
        response: ResponseModel = ResponseModel(
            message="All users fetched.", status="success", data=[u.email for u in users]
        )
        await session.close()  # must close the session
        return req.response.json(response).status(HttpStatus.OK)

    @get("/<int:user_id>")
    @produces(MediaType.APPLICATION_JSON)
    @open_api_docs(
        Descriptor(status=HttpStatus.NOT_FOUND, description="User not found", body=ErrorResponse),
        Descriptor(status=HttpStatus.BAD_REQUEST, description="Bad request", body=ErrorResponse),
    )
    async def get_user(self, req: Request, user_id: int) -> Response:
        """Returns a user by user_id"""
        return req.response.json(
            {
                "id": user_id,
                "fullname": "John Doe",
                "email": "johndoe@email.com",
                "before": req.state.before,
            }
        ).status(HttpStatus.OK)

    @post("/")
    @consumes(MediaType.APPLICATION_JSON)
    @produces(MediaType.APPLICATION_JSON)
    async def create_user(self, req: Request, user_data: UserData) -> Response[UserData]:
        """Creates new user"""
        return req.response.json(user_data).status(HttpStatus.CREATED)

    @post("/db")
    @consumes(MediaType.APPLICATION_JSON)
    @produces(MediaType.APPLICATION_JSON)
    @db.managed_session
    async def create_db_user(
        self, req: Request, user_data: UserData, session: AsyncSession
    ) -> Response[UserOut]:
        """Creates new user"""
        user: User = User(fullname=user_data.fullname, email=user_data.email)
        session.add(user)
        await session.flush()  # to get the new users id.
        scheduler.run_background_task(send_email, user.email, subject="welcome")
        return req.response.json(UserOut(id=user.id, fullname=user.fullname)).status(HttpStatus.OK)

    @get("/db/<int:user_id>")
    @consumes(MediaType.APPLICATION_JSON)
    @produces(MediaType.APPLICATION_JSON)
    @db.readonly_session
    async def get_db_user(
        self, req: Request, user_id: int, session: AsyncSession
    ) -> Response[UserOut]:
        """Reads a user"""
        user: User = await User.query(session).filter_by(id=user_id).first()
        if user is None:
            raise EntityNotFound(f"user {user_id}")
        return req.response.json(UserOut(id=user_id, fullname=user.fullname)).status(HttpStatus.OK)

    @get("/secure/<int:user_id>")
    @produces(MediaType.APPLICATION_JSON)
    @auth.login_required
    @auth.role_required(UserRoles.ADMIN, UserRoles.SUPERUSER)
    async def get_secure_user(self, req: Request, user_id: int) -> Response[UserOut]:
        """Returns a user by user_id"""
        session = db.create_session()
        user: User = await User.query(session).filter_by(id=user_id).first()
        await session.close()
        return req.response.json(UserOut(id=user_id, fullname=user.fullname)).status(HttpStatus.OK)

    @get("/cached/<int:user_id>")
    @produces(MediaType.APPLICATION_JSON)
    @cache.cache(duration=300)
    async def get_cached(self, req: Request, user_id: int) -> Response:
        """Cached endpoint"""
        CACHE_CALLS.append(user_id)
        return req.response.json({"id": user_id, "calls": len(CACHE_CALLS)}).status(HttpStatus.OK)

    @get("/page/<int:user_id>")
    @produces(MediaType.TEXT_HTML)
    async def get_page(self, req: Request, user_id: int) -> Response:
        """Returns a user by user_id"""
        context: dict[str, Any] = {"user_id": user_id}
        return (await req.response.html("my_template.html", context)).status(HttpStatus.OK)

    @get("/page2/<int:user_id>")
    @produces(MediaType.TEXT_HTML)
    async def get_page_spec_form(self, req: Request, user_id: int) -> Response:
        """The spec's literal form: await (req.response.html(...)).status(...)"""
        context: dict[str, Any] = {"user_id": user_id}
        return await (req.response.html("my_template.html", context)).status(HttpStatus.OK)

    @get("/name/<string:user_name>")
    async def by_name(self, req: Request, user_name: str) -> Response:
        return req.response.text(f"name={user_name}")

    @get("/files/<path:path>")
    async def by_path(self, req: Request, path: str) -> Response:
        return req.response.text(f"path={path}")

    @get("/missing/<int:user_id>")
    async def missing(self, req: Request, user_id: int) -> Response:
        """Handler logic"""
        abort(
            msg=f"User with id {user_id} not found",
            status_code=HttpStatus.NOT_FOUND,
            status="error",
            data=None,
        )

    @get("/html-missing")
    async def html_missing(self, req: Request) -> Response:
        html_abort("error.html", status_code=HttpStatus.NOT_FOUND, data={"x": 1})

    @get("/go")
    async def go(self, req: Request) -> Response:
        return req.response.redirect(self.app.url_for("UsersApi.get_user", user_id=7))

    @get("/image")
    async def image(self, req: Request) -> Response:
        return req.response.text(self.app.url_for("Static.get", filename="my_image.png"))

    @get("/dev")
    @development
    async def dev_only(self, req: Request) -> Response:
        return req.response.text("dev")

    @GET("/nocors")
    @no_cors
    async def nocors(self, req: Request) -> Response:
        return req.response.text("nocors")

    @GET("/cors")
    @cors(allow_origins=["https://a.example"], allow_methods=["GET"], allow_credentials=False)
    async def custom_cors(self, req: Request) -> Response:
        return req.response.text("cors")

    @get("/req")
    async def req_info(self, req: Request) -> Response:
        return req.response.json(
            {
                "route_parameters": req.route_parameters,
                "method": req.method,
                "path": req.path,
                "query_string": req.query_string,
                "x": req.headers.get("x-test"),
                "query_params": dict(req.query_params),
                "user": req.user,
                "same": req.res is req.response,
            }
        )

    @get("/cookie")
    async def cookie(self, req: Request) -> Response:
        return (
            req.res.set_cookie(
                "a", "1", max_age=10, path="/", domain=None, secure=False, http_only=True
            )
            .set_cookie("b", "2")
            .delete_cookie("c", path="/", domain=None)
            .set_header("x-h", "v")
            .text("ok")
        )

    @delete("/<int:user_id>")
    async def remove(self, req: Request, user_id: int) -> Response:
        return req.res.no_content()

    @put("/<int:user_id>")
    async def replace(self, req: Request, user_id: int) -> Response:
        return req.res.html_from_string("<b>{{ n }}</b>", {"n": user_id})

    @patch("/<int:user_id>")
    async def modify(self, req: Request, user_id: int) -> Response:
        return req.res.send_file(b"abc", headers={"content-type": "application/octet-stream"})

    @get("/boom")
    async def boom(self, req: Request) -> Response:
        raise RuntimeError("boom")

    @socket("/ws")
    async def socket_handler(self, req: Request) -> None:
        """Example socket handler"""
        await req.accept()
        while True:
            data = await req.receive()
            if data["type"] == "websocket.disconnect":
                break
            if data["type"] == "websocket.receive":
                await req.res.send(
                    {
                        "type": "websocket.send",
                        "text": "Hello from server. Echo: " + data.get("text", ""),
                    }
                )
