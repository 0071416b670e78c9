"""Serve the example app: ``python run.py`` (HOST/PORT/DEBUG from the config or environment)."""

import os
import sys

if __name__ == "__main__":
    import uvicorn

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from app.configs import Config

    configs = Config()
    uvicorn.run(
        "app:Application",
        host=configs.HOST,
        port=configs.PORT,
        lifespan=configs.LIFESPAN,
        factory=True,
        app_dir=os.path.dirname(os.path.abspath(__file__)),
    )
