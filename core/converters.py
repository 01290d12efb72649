"""Path converters for the project's URL patterns."""

from django.urls import register_converter


class TokenConverter:
    """A token in a link: invitation tokens and certificate verification codes (URL-safe base64),
    and signed e-mail verification tokens (base64 with ':' separators, '.' when compressed).

    Anything else (a NUL, a space, a 10,000-character string) never reaches a view or a query.
    """

    regex = r"[A-Za-z0-9_\-.:]{1,512}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")
