"""Serve the app: ``python run.py`` (DEBUG, port... come from app/configs.py and .env.dev)."""

if __name__ == "__main__":
    import uvicorn

    from app.configs import Config

    configs = Config()  # loads the defaults, .env.dev and environment variables
    uvicorn.run(
        "app:Application",
        host=configs.HOST,
        port=configs.PORT,
        lifespan=configs.LIFESPAN,
        reload=configs.DEBUG,
        factory=True,
        server_header=False,  # no `server: uvicorn` header
    )
