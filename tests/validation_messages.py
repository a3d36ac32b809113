"""Reads the validation messages of the service from its source (see
tests/iom/test_validation_messages.py): any text that reaches a ``ValidationError`` (Django's
or DRF's), ``add_error``, a field's ``error_messages`` or ``messages.error``, written there
directly or through a variable, a dictionary or list of errors, a module constant, a helper
function's parameter or a helper function's return value, in the same module or another."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

CALLS_TAKING_A_MESSAGE = {
    "ValidationError": 0,  # ValidationError(message), forms./serializers.ValidationError
    "add_error": 1,  # form.add_error(field, message)
}
TRANSLATIONS = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext", "format_lazy"}
# A field's messages: forms.CharField(error_messages={...}), field.error_messages[code] = ...
FIELD_MESSAGES = ("error_messages", "default_error_messages")
# Methods of a dict or list of errors that put a message into it: (method, argument).
FILLING_METHODS = {"setdefault": 1, "append": 0, "insert": 1, "extend": 0, "update": 0, "add": 0}


def problems_with(message: str) -> list[str]:
    """What is wrong with a message by the GOV.UK style for error messages (none: [])."""
    found = []
    if message.rstrip().endswith("."):
        found.append("ends with a full stop")
    if re.search(r"\bchoos(e|ing)\b", message, re.IGNORECASE):
        found.append('says "choose" where GOV.UK says "select"')
    return found


@dataclass(frozen=True)
class Message:
    path: str
    line: int
    text: str


@dataclass
class Function:
    module: Module
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Module | ast.ClassDef
    class_name: str | None = None
    parent: Function | None = None
    nested: dict[str, Function] = field(default_factory=dict)
    containers: set[str] = field(default_factory=set)
    returns_messages: bool = False
    message_parameters: set[str] = field(default_factory=set)

    @property
    def parameters(self) -> list[str]:
        if isinstance(self.node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = self.node.args
            return [a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)]
        return []


@dataclass
class Module:
    name: str
    path: str
    tree: ast.Module
    imports: dict[str, str] = field(default_factory=dict)  # local name -> dotted target
    constants: dict[str, ast.expr] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)  # "f" or "Class.f"


def _own_nodes(node: ast.AST):
    """The nodes of a function's (or module's, or class's) own body, not of the functions and
    classes defined inside it, which are walked on their own."""
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        yield child
        if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            stack.extend(ast.iter_child_nodes(child))


def _call_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


class Reader:
    """Reads the messages of a set of modules ({dotted name: (path, source)})."""

    def __init__(self, sources: dict[str, tuple[str, str]]):
        self.modules = {
            name: self._module(name, path, source) for name, (path, source) in sources.items()
        }
        self.messages: set[Message] = set()

    def _module(self, name: str, path: str, source: str) -> Module:
        tree = ast.parse(source, filename=path)
        module = Module(name=name, path=path, tree=tree)
        package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")
                    parent = parent[: len(parent) - node.level + 1]
                    base = ".".join([*parent, *([base] if base else [])])
                for alias in node.names:
                    module.imports[alias.asname or alias.name] = f"{base}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    module.imports[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else alias.name.split(".")[0]
                    )
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign) and node.value is not None:
                targets = [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    module.constants[target.id] = node.value
        top = module.functions[""] = Function(module, tree)
        self._define(module, top, "", None)
        for key, function in module.functions.items():
            if key.rpartition(".")[2].endswith("_errors"):
                function.returns_messages = True
        return module

    def _define(self, module: Module, outer: Function, prefix: str, class_name) -> None:
        """Registers the functions and classes defined in ``outer``, at any depth: a function
        inside a function sees its names (a closure), a method its class's others."""
        for node in _own_nodes(outer.node):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                is_class = isinstance(node, ast.ClassDef)
                function = Function(
                    module,
                    node,
                    class_name=node.name if is_class else class_name,
                    parent=None if is_class or isinstance(outer.node, ast.ClassDef) else outer,
                )
                key = f"{prefix}{node.name}"
                module.functions[key] = function
                outer.nested[node.name] = function
                self._define(module, function, f"{key}.", function.class_name)

    # Where a call goes, when it goes to a function of these modules.
    def resolve(self, function: Function, call: ast.Call) -> Function | None:
        module = function.module
        if isinstance(call.func, ast.Name):
            name = call.func.id
            scope: Function | None = function
            while scope is not None:
                if name in scope.nested and not isinstance(scope.nested[name].node, ast.ClassDef):
                    return scope.nested[name]
                scope = scope.parent
            if name in module.functions[""].nested:
                return module.functions[""].nested[name]
            target = module.imports.get(name)
            if target:
                owner, _, attribute = target.rpartition(".")
                if owner in self.modules:
                    return self.modules[owner].functions.get(attribute)
            return None
        if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name):
            owner = call.func.value.id
            if owner in ("self", "cls") and function.class_name:
                return module.functions.get(f"{function.class_name}.{call.func.attr}")
            target = module.imports.get(owner)
            if target in self.modules:
                return self.modules[target].functions.get(call.func.attr)
        return None

    def read(self) -> set[Message]:
        changed = True
        while changed:
            self.messages_before = len(self.messages)
            state = self._state()
            for module in self.modules.values():
                for function in module.functions.values():
                    self._walk(function)
            changed = state != self._state()
        return self.messages

    def _state(self):
        return (
            len(self.messages),
            sum(
                len(f.containers) + len(f.message_parameters) + f.returns_messages
                for m in self.modules.values()
                for f in m.functions.values()
            ),
        )

    def _message(self, function: Function, node: ast.expr | None) -> None:
        """Records the texts an expression gives as a message, and follows what it names."""
        if node is None:
            return
        module = function.module
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                self.messages.add(Message(module.path, node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
            )
            self.messages.add(Message(module.path, node.lineno, text))
        elif isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Mod):
                self._message(function, node.left)
            else:
                self._message(function, node.left)
                self._message(function, node.right)
        elif isinstance(node, ast.IfExp):
            self._message(function, node.body)
            self._message(function, node.orelse)
        elif isinstance(node, ast.BoolOp | ast.Dict):
            for value in node.values:
                self._message(function, value)
        elif isinstance(node, ast.List | ast.Tuple | ast.Set):
            for element in node.elts:
                self._message(function, element)
        elif isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp):
            self._message(function, node.elt)
            for generator in node.generators:
                self._message(function, generator.iter)
        elif isinstance(node, ast.DictComp):
            self._message(function, node.value)
            for generator in node.generators:
                self._message(function, generator.iter)
        elif isinstance(node, ast.Starred):
            self._message(function, node.value)
        elif isinstance(node, ast.Name):
            owner = self._owner(function, node.id)
            if node.id in module.constants and not self._is_local(owner, node.id):
                self._message(module.functions[""], module.constants[node.id])
            else:
                owner.containers.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            # A dictionary's values (errors.values(), errors.items()) are its messages.
            self._owner(function, node.value.id).containers.add(node.value.id)
        elif isinstance(node, ast.Call):
            name = _call_name(node)
            if name == "format" and isinstance(node.func, ast.Attribute):
                self._message(function, node.func.value)
            elif name in TRANSLATIONS and node.args:
                self._message(function, node.args[0])
            elif isinstance(node.func, ast.Attribute) and name in ("items", "values"):
                self._message(function, node.func.value)
            elif name in ("str", "dict", "list", "sorted", "join"):
                # " ".join(messages): the messages, not the space between them.
                for argument in node.args:
                    self._message(function, argument)
            else:
                called = self.resolve(function, node)
                if called is not None:
                    called.returns_messages = True

    def _owner(self, function: Function, name: str) -> Function:
        """The function whose variable ``name`` is: ``function``, or the one it closes over."""
        while function.parent is not None and not self._is_local(function, name):
            function = function.parent
        return function

    def _is_container(self, function: Function, name: str) -> bool:
        return name in self._owner(function, name).containers

    def _is_local(self, function: Function, name: str) -> bool:
        if name in function.parameters:
            return True
        if isinstance(function.node, ast.Module):
            return False
        for node in _own_nodes(function.node):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id == name:
                return True
        return False

    def _walk(self, function: Function) -> None:
        for node in _own_nodes(function.node):
            if isinstance(node, ast.Call):
                self._call(function, node)
            elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
                # for code, message in ours.items(): what "ours" holds is what "message" is.
                names = [n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)]
                if any(self._is_container(function, name) for name in names):
                    self._message(function, node.iter)
            elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    self._assignment(function, target, node.value, node)
            elif isinstance(node, ast.Return) and function.returns_messages:
                self._message(function, node.value)
            elif isinstance(node, ast.Dict):
                # A serializer's extra_kwargs = {"field": {"error_messages": {...}}}
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value in FIELD_MESSAGES:
                        self._message(function, value)
            elif isinstance(node, ast.keyword) and node.arg in FIELD_MESSAGES:
                self._message(function, node.value)
        if isinstance(function.node, ast.ClassDef):
            for item in function.node.body:
                if isinstance(item, ast.Assign):
                    for target in item.targets:
                        if isinstance(target, ast.Name) and target.id in FIELD_MESSAGES:
                            self._message(function, item.value)

    def _assignment(self, function: Function, target: ast.expr, value, node) -> None:
        if value is None:
            return
        if isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self._assignment(function, element, value, node)
            return
        if isinstance(target, ast.Name) and self._is_container(function, target.id):
            self._message(function, value)
        elif isinstance(target, ast.Subscript):
            holder = target.value
            into_errors = isinstance(holder, ast.Name) and self._is_container(function, holder.id)
            into_field = isinstance(holder, ast.Attribute) and holder.attr in FIELD_MESSAGES
            if into_errors or into_field:
                self._message(function, value)

    def _call(self, function: Function, call: ast.Call) -> None:
        name = _call_name(call)
        if name in CALLS_TAKING_A_MESSAGE:
            index = CALLS_TAKING_A_MESSAGE[name]
            if len(call.args) > index:
                self._message(function, call.args[index])
            for keyword in call.keywords:
                if keyword.arg in ("message", "detail", "error"):
                    self._message(function, keyword.value)
        if (
            name == "error"
            and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == "messages"
            and len(call.args) > 1
        ):
            self._message(function, call.args[1])
        # A dictionary or list of errors being filled.
        if (
            isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name)
            and self._is_container(function, call.func.value.id)
            and name in FILLING_METHODS
            and len(call.args) > FILLING_METHODS[name]
        ):
            self._message(function, call.args[FILLING_METHODS[name]])
        # A helper that receives a container or a message: its parameter is one too.
        called = self.resolve(function, call)
        if called is None:
            return
        parameters = called.parameters
        if parameters and parameters[0] in ("self", "cls"):
            parameters = parameters[1:]
        passed = list(zip(parameters, call.args, strict=False))
        passed += [(k.arg, k.value) for k in call.keywords if k.arg]
        for parameter, argument in passed:
            if parameter in called.message_parameters:
                self._message(function, argument)
            elif isinstance(argument, ast.Name) and self._is_container(function, argument.id):
                called.containers.add(parameter)
        for parameter in called.parameters:
            if parameter in called.containers:
                called.message_parameters.add(parameter)


def project_sources(root: Path, apps: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """{dotted module name: (path, source)} of every Python file of the apps but their
    migrations, which copy what the models said when they were made (Django's own messages
    among them) and are never edited: the models themselves are read."""
    sources = {}
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root)
            if "migrations" in relative.parts:
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            sources[".".join(parts)] = (relative.as_posix(), path.read_text())
    return sources


def read_messages(sources: dict[str, tuple[str, str]]) -> set[Message]:
    return Reader(sources).read()
