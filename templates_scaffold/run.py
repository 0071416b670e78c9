"""Serve the app: ``python run.py`` (settings from app/configs.py, .env and the environment;
``APP_ENV=development python run.py`` also reads .env.dev: DEBUG with reload)."""

if __name__ == "__main__":
    import uvicorn

    from app.configs import Config

    configs = Config()  # loads the defaults, .env (.env.dev in development) and the environment
    uvicorn.run(
        "app:Application",
        host=configs.HOST,
        port=configs.PORT,
        lifespan=configs.LIFESPAN,
        reload=configs.DEBUG,
        factory=True,
        server_header=False,  # no `server: uvicorn` header
    )
