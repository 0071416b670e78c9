from tests.spec.specapp.api.models.user_model import Base, Post, User

__all__ = ["Base", "Post", "User"]
