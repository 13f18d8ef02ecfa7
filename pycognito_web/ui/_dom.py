"""The component's only door to the page: a few DOM operations over one ``document``.

In a browser the document is ``_platform.js.document`` (only ``_platform`` imports
``js``); on CPython a test passes a fake one with the same small surface: ``createElement``,
``querySelector``, ``getElementById``, ``head``, and elements with ``setAttribute``,
``getAttribute``, ``removeAttribute``, ``appendChild``, ``textContent``, ``value``,
``checked``, ``focus()``, ``parentNode`` and ``on<event>`` properties. Everything the
screens do to the page goes through ``Dom``, so that surface is all a fake must offer.

Events are delegated: one handler per event type on the component's root, set as an
``on<event>`` property (Pyodide keeps a Python function assigned to a JavaScript property
alive, where one passed to ``addEventListener`` would be released after the call).
"""

from .. import _platform
from ..errors import InvalidParameterError

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Callable, Optional


def _text(value):
    # JavaScript null and undefined arrive as None or as a proxy; only strings count.
    return value if isinstance(value, str) else None


def _is_element(value):
    # A missing element is JavaScript null: None in MicroPython, but Pyodide's own jsnull
    # object (which is not None); an element is what has a tag name.
    return value is not None and _text(getattr(value, "tagName", None)) is not None


class Dom:
    """DOM operations on one document.

    Args:
        document: the page's document; by default the browser's.

    Raises:
        InvalidParameterError: with no document given outside a browser.
    """

    def __init__(self, document: "Any" = None) -> None:
        if document is None:
            if _platform.js is None:
                raise InvalidParameterError("no browser document here: pass document=")
            document = _platform.js.document
        self.document = document

    def find(self, mount: "Any") -> "Any":
        """The element a selector (``"#auth"``) names, or ``mount`` itself if an element.

        Raises:
            InvalidParameterError: when the selector matches nothing.
        """
        if not isinstance(mount, str):
            return mount
        element = self.document.querySelector(mount)
        if not _is_element(element):
            raise InvalidParameterError("mount %r matches no element of the page" % mount)
        return element

    def element(
        self, tag: "str", attrs: "Optional[dict]" = None, text: "Optional[str]" = None
    ) -> "Any":
        """A new element with attributes (``None`` values left out) and text."""
        node = self.document.createElement(tag)
        if attrs:
            for name, value in attrs.items():
                if value is not None and value is not False:
                    node.setAttribute(name, "" if value is True else str(value))
        if text is not None:
            node.textContent = text
        return node

    def add(
        self,
        parent: "Any",
        tag: "str",
        attrs: "Optional[dict]" = None,
        text: "Optional[str]" = None,
    ) -> "Any":
        """``element(...)`` appended to ``parent``; returns the new element."""
        node = self.element(tag, attrs, text)
        parent.appendChild(node)
        return node

    def clear(self, node: "Any") -> None:
        node.textContent = ""

    def set_text(self, node: "Any", text: "str") -> None:
        node.textContent = text

    def attr(self, node: "Any", name: "str") -> "Optional[str]":
        return _text(node.getAttribute(name))

    def set_attr(self, node: "Any", name: "str", value: "Any") -> None:
        """Set (a string), or remove (``None`` or ``False``) an attribute."""
        if value is None or value is False:
            node.removeAttribute(name)
        else:
            node.setAttribute(name, "" if value is True else str(value))

    def value(self, node: "Any") -> "str":
        return _text(node.value) or ""

    def set_value(self, node: "Any", value: "str") -> None:
        node.value = value

    def checked(self, node: "Any") -> "bool":
        return bool(node.checked)

    def focus(self, node: "Any") -> None:
        node.focus()

    def listen(self, node: "Any", event: "str", handler: "Callable[[Any], None]") -> None:
        """``handler(event)`` for every ``event`` on ``node`` and inside it."""
        setattr(node, "on" + event, handler)

    def prevent_default(self, event: "Any") -> None:
        event.preventDefault()

    def acting(self, event: "Any") -> "Any":
        """The element with a ``data-action`` the event happened in, or None."""
        node = event.target
        # Up the tree to the document (which has no tagName); proxies of one JavaScript
        # object need not be the same Python object, so no identity test on the root.
        while _is_element(node):
            if _text(node.getAttribute("data-action")) is not None:
                return node
            node = node.parentNode
        return None

    def add_stylesheet(self, css: "str", key: "str") -> None:
        """A ``<style id=key>`` in the page's head, once per page."""
        if _is_element(self.document.getElementById(key)):
            return
        self.document.head.appendChild(self.element("style", {"id": key}, css))
