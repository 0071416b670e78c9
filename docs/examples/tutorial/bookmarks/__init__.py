"""Step 1: the application class (serve it with ``uvicorn bookmarks:Application --factory``)."""

from bookmarks.configs import Config
from pyjolt import PyJolt, app


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
