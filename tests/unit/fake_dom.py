"""A fake DOM for CPython tests of pycognito_web.ui: just the surface ui/_dom.py uses.

Elements keep attributes, children, text, ``value``/``checked`` and the ``on<event>``
handlers set on them; the document records which element has focus. ``Page`` drives an
``Authenticator`` as a person would: type into a field (an ``input`` event), submit the
form (``submit``), click a button (``click``), then wait for the request to finish.
"""


class Event:
    def __init__(self, target):
        self.target = target
        self.default_prevented = False

    def preventDefault(self):
        self.default_prevented = True


class JsNull:
    """What Pyodide gives for JavaScript's null: an object that is not None."""

    def __bool__(self):
        return False


NULL = JsNull()


class Element:
    def __init__(self, document, tag):
        self.ownerDocument = document
        self.tagName = tag.upper()
        self.attributes = {}
        self.children = []
        self.parentNode = None
        self._text = ""
        self.value = ""
        self.checked = False

    def __repr__(self):
        return "<%s %s>" % (self.tagName.lower(), self.attributes)

    def setAttribute(self, name, value):
        self.attributes[name] = str(value)
        if name == "checked":
            self.checked = True

    def getAttribute(self, name):
        return self.attributes.get(name)

    def removeAttribute(self, name):
        self.attributes.pop(name, None)

    def appendChild(self, child):
        if child.parentNode is not None:
            child.parentNode.children.remove(child)
        child.parentNode = self
        self.children.append(child)
        return child

    @property
    def textContent(self):
        return self._text + "".join(child.textContent for child in self.children)

    @textContent.setter
    def textContent(self, text):
        for child in self.children:
            child.parentNode = None
        self.children = []
        self._text = text

    def focus(self):
        self.ownerDocument.activeElement = self

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def find_all(self, tag=None, **attributes):
        """Descendants (and self) with that tag and those attribute values."""
        found = []
        for node in self.walk():
            if tag is not None and node.tagName != tag.upper():
                continue
            if all(
                node.attributes.get(k.rstrip("_").replace("_", "-")) == v
                for k, v in attributes.items()
            ):
                found.append(node)
        return found

    def find(self, tag=None, **attributes):
        found = self.find_all(tag, **attributes)
        assert len(found) == 1, "expected one %s %s, found %r" % (tag, attributes, found)
        return found[0]

    def connected(self):
        node = self
        while node.parentNode is not None:
            node = node.parentNode
        return node is self.ownerDocument.documentElement


class Document:
    def __init__(self):
        self.documentElement = Element(self, "html")
        self.head = self.documentElement.appendChild(Element(self, "head"))
        self.body = self.documentElement.appendChild(Element(self, "body"))
        self.activeElement = self.body

    def createElement(self, tag):
        return Element(self, tag)

    def getElementById(self, ident):
        for node in self.documentElement.walk():
            if node.attributes.get("id") == ident:
                return node
        return NULL

    def querySelector(self, selector):
        assert selector.startswith("#"), "the fake knows only #id selectors"
        return self.getElementById(selector[1:])


class Page:
    """A document with ``<div id="auth">``, and a person's actions on the component in it."""

    def __init__(self):
        self.document = Document()
        self.mount = self.document.body.appendChild(self.document.createElement("div"))
        self.mount.setAttribute("id", "auth")
        self.auth = None

    # what the person sees

    @property
    def screen(self):
        return self.mount.getAttribute("data-screen")

    def field(self, name):
        return self.mount.find("input", name=name)

    def error_of(self, name):
        """The sentence beside a field (through its aria-describedby), or None."""
        node = self.field(name)
        for ident in (node.getAttribute("aria-describedby") or "").split():
            if ident.endswith("-error"):
                return self.document.getElementById(ident).textContent
        return None

    def form_error(self):
        found = self.mount.find_all("p", role="alert")
        return found[0].textContent if found else None

    def status(self):
        return self.mount.find("p", role="status").textContent

    def focused(self):
        return self.document.activeElement

    def button(self, action=None):
        if action is None:
            return self.mount.find("button", type="submit")
        found = self.mount.find_all("button", data_action=action)
        assert found, "no %s button on %s" % (action, self.screen)
        return found[0]  # the first: e.g. "send a new code" beside the code, then below

    # what the person does

    def type(self, name, value):
        node = self.field(name)
        node.value = value
        self.mount.oninput(Event(node))

    def fill(self, **values):
        for name, value in values.items():
            self.type(name, value)

    def submit_now(self):
        """Submit the form without waiting (to see the busy state)."""
        event = Event(self.mount.find("form"))
        self.mount.onsubmit(event)
        assert event.default_prevented

    async def submit(self, **values):
        self.fill(**values)
        self.submit_now()
        await self.auth.settled()

    def click_now(self, action):
        """Click a button without waiting."""
        button = self.button(action)
        # The click lands on the button's text (a child when it has one) and bubbles.
        self.mount.onclick(Event(button.children[0] if button.children else button))

    async def click(self, action):
        self.click_now(action)
        await self.auth.settled()

    def choose(self, value):
        for node in self.mount.find_all("input", type="radio"):
            node.checked = node.getAttribute("value") == value
