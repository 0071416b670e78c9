from pyjolt.exception import BaseHttpException, CustomException


class EntityNotFound(CustomException):
    """implementation"""


class MyCustomException(Exception):
    """implementation"""


class MyCustomHttpException(BaseHttpException):
    """implementation"""
