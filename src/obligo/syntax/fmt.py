"""The canonical layout of a contract (placeholder until the formatter lands)."""


def format_text(text: str) -> str:
    return text
