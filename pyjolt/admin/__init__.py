"""An admin dashboard on sqladmin: the app's SQL models, scheduler jobs, email and task
failures, behind the app's ``Authentication``.

Needs the ``admin`` extra (``pip install "pyjolt[admin]"``).
"""

from __future__ import annotations

from pyjolt._internal.imports import optional_import

optional_import("sqladmin", "admin")

from pyjolt.admin.config import AdminConfig  # noqa: E402
from pyjolt.admin.extension import AdminDashboard  # noqa: E402
from pyjolt.admin.views import register_model  # noqa: E402

__all__ = ["AdminConfig", "AdminDashboard", "register_model"]
