"""The documentation is part of the API: every public function, class, method and property has a
docstring, the docstrings' examples run (doctest) and print what they say, and the README's quick
start runs and its list of supported names is exactly what hayabusa provides."""
import contextlib
import doctest
import importlib
import inspect
import io
import re
from pathlib import Path

import pytest

import hayabusa
from hayabusa._tensor_str import get_printoptions

# the modules a user imports names from (the layers below them are not public API)
PUBLIC_MODULES = (
    "hayabusa", "hayabusa.autograd", "hayabusa.cuda", "hayabusa.nn", "hayabusa.nn.functional",
    "hayabusa.nn.init", "hayabusa.nn.utils", "hayabusa.optim", "hayabusa.optim.lr_scheduler",
    "hayabusa.utils.data", "hayabusa.utils.hooks", "hayabusa.utils.safetensors",
)

README = Path(__file__).resolve().parent.parent / "README.md"


def _ours(obj):
    """A function or class defined in the hayabusa package (not one it imported from elsewhere)."""
    return ((inspect.isfunction(obj) or inspect.isclass(obj))
            and getattr(obj, "__module__", "").startswith("hayabusa"))


def _public_members(cls):
    """(name, attribute) of the public methods and properties a hayabusa class defines or
    inherits from a hayabusa base class."""
    seen = {}
    for klass in reversed(cls.__mro__):
        if not klass.__module__.startswith("hayabusa"):
            continue
        for name, attr in vars(klass).items():
            if name.startswith("_"):
                continue
            if isinstance(attr, (staticmethod, classmethod)):
                attr = attr.__func__
            if inspect.isfunction(attr) or isinstance(attr, property):
                seen[name] = attr
    return sorted(seen.items())


def public_api():
    """{qualified name: object} of every public function and class, and of their classes'
    public methods and properties. An object reachable under several names (hayabusa.add is
    Tensor.add; Module.state_dict is Linear.state_dict) is listed once, under its first name:
    modules in PUBLIC_MODULES order, base classes before their subclasses."""
    found, ids, classes = {}, set(), []

    def add(name, obj):
        if id(obj) not in ids:
            ids.add(id(obj))
            found[name] = obj

    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in sorted(vars(module)):
            obj = getattr(module, name)
            if not name.startswith("_") and _ours(obj):
                add(f"{module_name}.{name}", obj)
                if inspect.isclass(obj):
                    classes.append((len(obj.__mro__), f"{module_name}.{name}", obj))
    for _, qualified, cls in sorted(classes, key=lambda c: c[0]):
        for member, attr in _public_members(cls):
            add(f"{qualified}.{member}", attr)
    return found


API = public_api()


def _docstring(obj):
    # a class's own docstring (inspect.getdoc would inherit its base's); a method overriding a
    # documented one inherits that documentation, as help() shows it
    if inspect.isclass(obj):
        return vars(obj).get("__doc__")
    if isinstance(obj, property):
        return obj.__doc__
    return inspect.getdoc(obj)


def test_the_walk_finds_the_api():
    # a guard against the walk silently finding nothing
    for name in ("hayabusa.tensor", "hayabusa.Tensor", "hayabusa.Tensor.backward", "hayabusa.Tensor.shape",
                 "hayabusa.nn.Module.state_dict", "hayabusa.nn.Linear", "hayabusa.optim.Adam.step",
                 "hayabusa.utils.data.DataLoader", "hayabusa.autograd.grad"):
        assert name in API
    assert len(API) > 400


def test_every_public_name_has_a_docstring():
    missing = sorted(name for name, obj in API.items() if not (_docstring(obj) or "").strip())
    assert not missing, f"{len(missing)} public names without a docstring: {missing}"


def _examples():
    finder = doctest.DocTestFinder(recurse=False)
    out = []
    for name, obj in API.items():
        target = obj.fget if isinstance(obj, property) else obj
        for test in finder.find(target, name, globs={}):
            if test.examples:
                out.append(pytest.param(test, id=name))
    return out


EXAMPLES = _examples()


def test_examples_exist():
    assert len(EXAMPLES) > 150


@pytest.fixture
def restore_global_state():
    """Examples may change print options, grad mode or the default dtype: put them back."""
    options = get_printoptions()
    yield
    hayabusa.set_printoptions(**options)
    hayabusa.set_grad_enabled(True)
    hayabusa.set_default_dtype(hayabusa.float32)
    hayabusa.autograd.set_detect_anomaly(False)


@pytest.mark.parametrize("test", EXAMPLES)
def test_docstring_example(test, restore_global_state):
    """Examples run as ``import hayabusa as torch``, with ``nn`` and ``F`` imported as usual."""
    test.globs = {"torch": hayabusa, "hayabusa": hayabusa, "nn": hayabusa.nn,
                  "F": hayabusa.nn.functional}
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report = io.StringIO()
    runner.run(test, out=report.write)
    failed, attempted = runner.summarize(verbose=False)
    assert failed == 0, report.getvalue()


# ---------------------------------------------------------------- README
def _section(text, heading):
    """The body of the markdown section under `heading`, up to the next heading of its level
    or above."""
    level = heading.split(" ")[0]
    lines = text.splitlines()
    start = lines.index(heading) + 1
    end = next((i for i in range(start, len(lines))
                if re.match(r"#{1,%d} " % len(level), lines[i])), len(lines))
    return "\n".join(lines[start:end])


def test_readme_quick_start_trains():
    body = _section(README.read_text(), "## Quick start")
    code = re.search(r"```python\n(.*?)```", body, re.S).group(1)
    assert 10 <= len(code.strip().splitlines()) <= 20
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README quick start", "exec"), {})
    # it prints the final training loss and accuracy: trained, the loss is far below log(2)
    loss, accuracy = re.fullmatch(r"loss (\S+), accuracy (\S+)\n", out.getvalue()).groups()
    assert float(loss) < 0.2 and float(accuracy) > 0.95


def _readme_supported_names():
    """{namespace: [names]} from the README's "Supported names" list: one bullet per namespace,
    "- `namespace`: `name`, `name`, ..." (a bullet may continue on indented lines)."""
    body = _section(README.read_text(), "### Supported names")
    bullets = re.split(r"\n(?=- )", body[body.index("\n- ") + 1:].split("\n\n")[0])
    listed = {}
    for bullet in bullets:
        names = re.findall(r"`([^`]+)`", bullet)
        assert bullet.startswith("- `") and names, f"not a namespace bullet: {bullet!r}"
        namespace, names = names[0], names[1:]
        assert namespace not in listed, f"{namespace} is listed twice"
        listed[namespace] = names
    return listed


def _resolve(dotted):
    module_name, _, rest = dotted.partition(".")
    obj = importlib.import_module(module_name)
    for part in rest.split(".") if rest else ():
        obj = getattr(obj, part, None) or importlib.import_module(f"{obj.__name__}.{part}")
    return obj


def _namespace_api(namespace):
    """The public names of a namespace: its __all__ where it has one; else what it defines or
    re-exports from hayabusa (functions, classes, dtypes, the default generator), no modules."""
    if inspect.isclass(namespace):
        return {n for n in dir(namespace) if not n.startswith("_")}
    if hasattr(namespace, "__all__"):
        return set(namespace.__all__)
    return {n for n, v in vars(namespace).items()
            if not n.startswith("_") and (_ours(v) or type(v).__module__.startswith("hayabusa"))}


def test_readme_supported_names_exist():
    listed = _readme_supported_names()
    assert {"hayabusa", "hayabusa.Tensor", "hayabusa.nn", "hayabusa.nn.functional",
            "hayabusa.optim"} <= listed.keys()
    absent = [f"{ns}.{name}" for ns, names in listed.items() for name in names
              if not hasattr(_resolve(ns), name)]
    assert not absent, f"the README lists names hayabusa lacks: {absent}"


def test_readme_lists_every_public_name():
    unlisted = {}
    for namespace, names in _readme_supported_names().items():
        missing = _namespace_api(_resolve(namespace)) - set(names)
        if missing:
            unlisted[namespace] = sorted(missing)
    assert not unlisted, f"public names missing from the README's Supported names: {unlisted}"
