"""What every form that calls a service shares."""

from ventanilla.core.errors import DomainError


class DomainErrorsMixin:
    """Shows a service's refusal next to the field it names (or at the top when the form has no such field)."""

    field_aliases: dict[str, str] = {}  # service field name → form field name, where they differ

    def add_domain_errors(self, error: DomainError) -> None:
        for item in error.errors:
            name = self.field_aliases.get(item.field, item.field)
            self.add_error(name if name in self.fields else None, str(item.message))
