"""Which context variables a template can read, through everything it extends, includes or imports."""

from jinja2 import Template, TemplateNotFound, meta


def variables_read(template: Template) -> frozenset[str] | None:
    """The names a template reads from its context, or None when that cannot be known
    (a template chosen at render time, a source the loader cannot give back)."""
    environment = template.environment
    names: set[str] = set()
    pending, seen = [template.name], set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            source, _, _ = environment.loader.get_source(environment, name)
        except (TemplateNotFound, OSError, RuntimeError):  # a loader that cannot give the source back
            return None
        tree = environment.parse(source)
        names |= meta.find_undeclared_variables(tree)
        for referenced in meta.find_referenced_templates(tree):
            if referenced is None:
                return None
            pending.append(referenced)
    return frozenset(names)
