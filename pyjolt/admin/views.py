"""sqladmin model views made from the app's SQL models.

Each model gets list, details, create, edit and delete, with every column listed and
sortable, text columns searchable and pages of 25 rows. Options (sqladmin ``ModelView``
attributes: ``column_list``, ``column_searchable_list``, ``form_excluded_columns``,
``can_delete``...; and ``read_only``: columns the edit form leaves out) come, later ones
winning, from PyJolt 0.111's ``Meta`` class of the model (``exclude_from_table``,
``custom_labels``, ``exclude_from_create_form``, ``exclude_from_update_form``,
``form_fields_order``; its other options have no sqladmin equivalent and are ignored), its
``__admin__`` dict, ``register_model(...)`` and ``ADMIN['MODEL_OPTIONS'][ClassName]``.
"""

from __future__ import annotations

import types
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

from sqladmin import ModelView
from sqlalchemy import String, inspect
from sqlalchemy.ext.asyncio import AsyncSession

from pyjolt.database.sql.models import bases_for, db_name_of
from pyjolt.exceptions.errors import ConfigurationError

if TYPE_CHECKING:
    from pyjolt.database.sql import SqlDatabase

M = TypeVar("M", bound=type)
_REGISTERED = "__admin_registered__"
_OPTIONS = "__admin__"


@overload
def register_model(model: M, /) -> M: ...
@overload
def register_model(model: None = None, /, **options: Any) -> Any: ...
def register_model(model: Any = None, /, **options: Any) -> Any:
    """Show this model in the dashboard (``@register_model`` or ``@register_model(...)`` with
    sqladmin view options). Once any model of the app is registered (or ``ADMIN['MODELS']`` is
    set) the dashboard shows only those; otherwise it shows every model. Records only."""

    def mark(cls: M) -> M:
        setattr(cls, _REGISTERED, True)
        if options:
            setattr(cls, _OPTIONS, {**(getattr(cls, _OPTIONS, None) or {}), **options})
        return cls

    return mark(model) if model is not None else mark


class DatabaseSessions:
    """sqladmin's session maker for one ``SqlDatabase``: sessions on the engine the database
    has now (a restarted app has new engines), for the app serving the request."""

    class_ = AsyncSession

    def __init__(self, db: SqlDatabase) -> None:
        self.db = db
        self.options: dict[str, Any] = {}

    def configure(self, **options: Any) -> None:
        options.pop("autocommit", None)  # sqladmin's; SQLAlchemy 2 has no such mode
        self.options.update(options)

    def __call__(self, **options: Any) -> AsyncSession:
        return AsyncSession(bind=self.db.engine, **{**self.options, **options})


def database_models(
    databases: Sequence[SqlDatabase], app_models: Sequence[Any], listed: Sequence[Any]
) -> list[tuple[type[Any], SqlDatabase]]:
    """The models to show, each with its database: ``listed`` ones if any, else the registered
    ones of the databases, else all of their models (from ``MODELS`` or their bases)."""
    by_name = {db.db_name: db for db in databases}
    found: dict[type[Any], SqlDatabase] = {}
    for db in databases:
        for model in _models_of(db.db_name, app_models):
            found.setdefault(model, db)
    if listed:
        chosen = {}
        for index, model in enumerate(listed):
            owner = found.get(model) or by_name.get(db_name_of(model) or "")
            if owner is None and len(databases) == 1:
                owner = databases[0]
            if owner is None or not _is_mapped(model):
                raise ConfigurationError(
                    f"ADMIN['MODELS'][{index}] {model!r} is not a model of the app's SqlDatabase "
                    f"extensions ({', '.join(sorted(by_name)) or 'none'}); list mapped classes of "
                    "a base made by create_declarative_base(db_name)"
                )
            chosen[model] = owner
        return list(chosen.items())
    registered = {m: db for m, db in found.items() if m.__dict__.get(_REGISTERED)}
    return list((registered or found).items())


def _models_of(db_name: str, app_models: Sequence[Any]) -> list[type[Any]]:
    listed = [m for m in app_models if db_name_of(m) == db_name and _is_mapped(m)]
    if listed:
        return listed
    models: dict[type[Any], None] = {}
    for base in sorted(bases_for(db_name), key=lambda b: b.__qualname__):
        for mapper in base.registry.mappers:
            cls = mapper.class_
            if db_name_of(cls) == db_name:
                models.setdefault(cls, None)
    return sorted(models, key=lambda m: m.__name__)


def _is_mapped(model: object) -> bool:
    try:
        inspect(model)
    except Exception:
        return False
    return isinstance(model, type)


def model_view(
    model: type[Any], sessions: DatabaseSessions, configured: Mapping[str, Any] | None
) -> type[ModelView]:
    """A ``ModelView`` subclass for ``model`` with the options described in the module."""
    columns = [c.key for c in inspect(model).column_attrs]
    searchable = [
        c.key for c in inspect(model).column_attrs if isinstance(c.columns[0].type, String)
    ]
    options: dict[str, Any] = {
        **_legacy_meta(model, columns),
        **(model.__dict__.get(_OPTIONS) or {}),
        **(configured or {}),
    }
    read_only = options.pop("read_only", ())
    if read_only:
        # shown, set when a row is created, never changed by the edit form
        editable = options.get("form_columns") or [c for c in columns if c not in _pks(model)]
        options["form_edit_rules"] = [c for c in _names(editable) if c not in read_only]
    if "column_exclude_list" not in options:
        options.setdefault("column_list", columns)
    options.setdefault("column_searchable_list", searchable)
    options.setdefault("column_sortable_list", columns)
    options.setdefault("page_size", 25)
    options["session_maker"] = sessions
    options["is_async"] = True
    view: type[ModelView] = types.new_class(
        f"{model.__name__}Admin",
        (ModelView,),
        {"model": model},
        lambda ns: ns.update(options),
    )
    return view


def _pks(model: type[Any]) -> set[str]:
    return {c.key for c in inspect(model).primary_key if c.key is not None}


def _names(columns: Sequence[Any]) -> list[str]:
    return [c if isinstance(c, str) else c.key for c in columns]


def _legacy_meta(model: type[Any], columns: list[str]) -> dict[str, Any]:
    """PyJolt 0.111's ``Meta`` options as sqladmin options (those that have one)."""
    meta = getattr(model, "Meta", None)
    if meta is None:
        return {}
    options: dict[str, Any] = {}
    if getattr(meta, "exclude_from_table", None):
        options["column_exclude_list"] = list(meta.exclude_from_table)
    if getattr(meta, "custom_labels", None):
        options["column_labels"] = dict(meta.custom_labels)
    order = getattr(meta, "form_fields_order", None) or columns
    for key, rules in (
        ("exclude_from_create_form", "form_create_rules"),
        ("exclude_from_update_form", "form_edit_rules"),
    ):
        excluded = getattr(meta, key, None)
        if excluded:
            options[rules] = [c for c in order if c not in excluded]
    if getattr(meta, "form_fields_order", None):
        options["form_columns"] = list(meta.form_fields_order)
    return options
