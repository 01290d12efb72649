"""Errors services raise; views turn them into messages next to the thing the user did."""


class ServiceError(Exception):
    """A refused action, with a message fit to show the user."""

    def __init__(self, message, *, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


class NotAllowed(ServiceError):
    """The action is not allowed in this state."""


class Conflict(ServiceError):
    """Someone else changed the object first."""

    def __init__(self, message, *, code: str = "conflict"):
        super().__init__(message, code=code)
