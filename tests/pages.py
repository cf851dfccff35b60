"""Reading rendered pages in tests: find elements the way a user or a screen reader would."""

from __future__ import annotations

from django.test.html import Element, parse_html


def page(response) -> Element:
    """The response body as an element tree (Django's own test HTML parser)."""
    return parse_html(response.content.decode())


def attr(element: Element, name: str) -> str | None:
    return dict(element.attributes).get(name)


def has_attr(element: Element, name: str) -> bool:
    return name in dict(element.attributes)


def classes(element: Element) -> set[str]:
    return set((attr(element, "class") or "").split())


def find_all(root: Element, tag: str, **attrs: str) -> list[Element]:
    """Descendants named `tag` whose attributes match; `class_` matches one class name."""
    found = []
    for child in root.children:
        if isinstance(child, str):
            continue
        if child.name == tag and _matches(child, attrs):
            found.append(child)
        found.extend(find_all(child, tag, **attrs))
    return found


def find(root: Element, tag: str, **attrs: str) -> Element:
    matches = find_all(root, tag, **attrs)
    assert len(matches) == 1, f"expected one <{tag} {attrs}>, found {len(matches)}"
    return matches[0]


def text(element: Element | str) -> str:
    if isinstance(element, str):
        return element
    return " ".join(part for part in (text(c) for c in element.children) if part).strip()


def _matches(element: Element, attrs: dict[str, str]) -> bool:
    for name, value in attrs.items():
        if name == "class_":
            if value not in classes(element):
                return False
        elif attr(element, name) != value:
            return False
    return True
