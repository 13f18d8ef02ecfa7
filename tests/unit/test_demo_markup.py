"""The demo's HTML builders (site/app/markup.py) render server-provided strings as text:
an attribute named with ``"``, ``<`` and ``=`` (Cognito allows them in custom attribute
names) cannot add elements or attributes. Run on CPython: the module imports no js."""

import html.parser
import importlib.util
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOSTILE = [
    'custom:x" autofocus onfocus="alert(1)',
    "custom:</label><img src=x onerror=alert(1)>",
    "custom:a=b<c\"d'e&f",
    "custom:'><script>alert(1)</script>",
]


def _markup():
    path = os.path.join(ROOT, "site", "app", "markup.py")
    spec = importlib.util.spec_from_file_location("demo_markup", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Tree(html.parser.HTMLParser):
    """Every start tag with its attributes, and the text, as a browser would parse them."""

    def __init__(self, text):
        html.parser.HTMLParser.__init__(self, convert_charrefs=True)
        self.tags, self.text = [], []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("action", ["", "verify", "verified", "remove"])
def test_an_attribute_row_shows_a_hostile_name_and_value_as_text(name, action):
    row = Tree(_markup().attribute_row(name, name, readonly=False, action=action))
    expected = ["tr", "th", "label", "td", "input", "td"]
    expected += {"verify": ["button"], "remove": ["button"], "verified": ["span"]}.get(action, [])
    assert [tag for tag, _ in row.tags] == expected
    attributes = dict(row.tags)
    assert attributes["label"] == {"for": "attr-" + name}
    assert attributes["input"] == {"id": "attr-" + name, "name": "attr:" + name, "value": name}
    assert row.text[0] == name  # the label's text is the name itself
    if action in ("verify", "remove"):
        assert attributes["button"]["data-attribute"] == name
        assert set(attributes["button"]) <= {"type", "class", "data-action", "data-attribute",
                                             "aria-label"}  # fmt: skip


@pytest.mark.parametrize("name", HOSTILE)
def test_a_challenge_field_shows_a_hostile_required_attribute_as_text(name):
    # NEW_PASSWORD_REQUIRED names the attributes it needs; the page asks for each.
    field = Tree(_markup().field("attr:" + name, name))
    assert [tag for tag, _ in field.tags] == ["label", "input"]
    assert field.tags[1][1] == {"name": "attr:" + name, "type": "text", "required": None}
    assert "".join(field.text).strip() == name
