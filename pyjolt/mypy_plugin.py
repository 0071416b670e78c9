"""A mypy plugin: ``Base = create_declarative_base("db")`` becomes a class mypy accepts as a base.

mypy refuses a variable as a base class, so without this plugin ``class User(Base)`` fails under
``mypy --strict`` when ``Base`` comes from a call (write ``class Base(SqlModel, DeclarativeBase)``
instead, or enable the plugin)::

    [tool.mypy]
    plugins = ["pyjolt.mypy_plugin"]

The base mypy then sees is ``class Base(SqlModel, DeclarativeBase)``: what the call makes at run
time. Only mypy imports this module.
"""

from __future__ import annotations

from collections.abc import Callable

from mypy.mro import MroError, calculate_mro
from mypy.nodes import GDEF, Block, ClassDef, SymbolTable, SymbolTableNode, TypeInfo
from mypy.plugin import DynamicClassDefContext, Plugin
from mypy.types import Instance

#: The functions that make a declarative base, under every name they are reached by.
BASE_FACTORIES = frozenset(
    f"{module}.{name}"
    for module in ("pyjolt.database.sql.models", "pyjolt.database.sql", "pyjolt.database")
    for name in ("create_declarative_base", "create_declerative_base")
)
_BASES = ("pyjolt.database.sql.models.SqlModel", "sqlalchemy.orm.decl_api.DeclarativeBase")


def declarative_base_class(ctx: DynamicClassDefContext) -> None:
    """Define ``ctx.name`` as a class with ``SqlModel`` and ``DeclarativeBase`` as its bases."""
    api = ctx.api
    infos: list[TypeInfo] = []
    for fullname in _BASES:
        symbol = api.lookup_fully_qualified_or_none(fullname)
        if symbol is None or not isinstance(symbol.node, TypeInfo):
            if not api.final_iteration:
                api.defer()  # not analysed yet: the hook runs again
            return
        infos.append(symbol.node)
    class_def = ClassDef(ctx.name, Block([]))
    class_def.fullname = api.qualified_name(ctx.name)
    info = TypeInfo(SymbolTable(), class_def, api.cur_mod_id)
    class_def.info = info
    info.line = ctx.call.line
    info.bases = [Instance(base, []) for base in infos]
    try:
        calculate_mro(info)
    except MroError:  # pragma: no cover - both bases are fixed classes
        api.fail("cannot make a declarative base class here", ctx.call)
        return
    info.metaclass_type = info.calculate_metaclass_type()
    api.add_symbol_table_node(ctx.name, SymbolTableNode(GDEF, info))


class PyJoltPlugin(Plugin):
    """Hooks ``create_declarative_base`` (and the spec's spelling)."""

    def get_dynamic_class_hook(
        self, fullname: str
    ) -> Callable[[DynamicClassDefContext], None] | None:
        return declarative_base_class if fullname in BASE_FACTORIES else None


def plugin(version: str) -> type[Plugin]:
    """mypy's entry point (``plugins = ["pyjolt.mypy_plugin"]``)."""
    return PyJoltPlugin
