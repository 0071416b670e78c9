from tests.spec.specapp.api.models.user_model import Base, User

__all__ = ["Base", "User"]
