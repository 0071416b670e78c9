"""An importable app class for the ``run`` command tests."""

from pyjolt import BaseConfig, PyJolt, app


class Config(BaseConfig):
    APP_NAME: str = "run-app"


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
