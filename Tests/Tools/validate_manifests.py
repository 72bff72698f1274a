"""Validates Kubernetes manifests strictly: core kinds against kubernetes-validate's schemas, KServe kinds
against the field types of KServe's published Python SDK (read from its wheel as text, never imported),
whose Kubernetes-typed fields (V1Container, V1Volume, ...) are checked against the same core schemas.

Usage: python validate_manifests.py --kserve-wheel kserve-*.whl [--kubernetes-version 1.37.0] FILE...
Prints one line per resource; exits 1 when any resource is invalid, 2 on bad usage.
"""
import argparse
import ast
import re
import sys
import zipfile

import jsonschema
import referencing
import yaml
from kubernetes_validate import utils as kv


def core_validator(version):
    """A validator for any core definition, e.g. io.k8s.api.core.v1.Container, strict (no unknown fields)."""
    definitions = kv.schema_contents(f"kubernetes-json-schema/v{version}-local-strict/_definitions.json", version)
    registry = referencing.Resource.from_contents(definitions) @ referencing.Registry()

    def validate(definition, value):
        schema = {"$ref": f"https://kubernetes.io/api/_definitions.json#/$defs/{definition}"}
        validator = jsonschema.validators.Draft202012Validator(schema, registry=registry)
        return [("".join(f".{part}" for part in e.absolute_path), e.message) for e in validator.iter_errors(value)]
    return validate


class KServeModels:
    """openapi_types, attribute_map and required fields of every model in the KServe SDK wheel."""

    def __init__(self, wheel):
        self.models = {}
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if re.fullmatch(r"kserve/models/v1\w+\.py", name):
                    self._read(archive.read(name).decode())

    def _read(self, source):
        for node in ast.parse(source).body:
            if not isinstance(node, ast.ClassDef):
                continue
            fields = {}
            for item in node.body:
                if isinstance(item, ast.Assign) and isinstance(item.targets[0], ast.Name) \
                        and item.targets[0].id in ("openapi_types", "attribute_map"):
                    fields[item.targets[0].id] = ast.literal_eval(item.value)
            if "openapi_types" in fields:
                required = set(re.findall(r"Invalid value for `(\w+)`, must not be `None`", source))
                self.models[node.name] = (fields["openapi_types"], fields["attribute_map"], required)


CORE_DEFINITIONS = {
    "V1ObjectMeta": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
    "V1ResourceRequirements": "io.k8s.api.core.v1.ResourceRequirements",
    "V1Lifecycle": "io.k8s.api.core.v1.Lifecycle",
    "V1Probe": "io.k8s.api.core.v1.Probe",
}


def core_definition(type_name):
    if type_name in CORE_DEFINITIONS:
        return CORE_DEFINITIONS[type_name]
    match = re.fullmatch(r"V1([A-Z]\w*)", type_name)
    if match:
        return f"io.k8s.api.core.v1.{match.group(1)}"
    match = re.fullmatch(r"K8sIoApi([A-Z][a-z]+)V1([A-Z]\w*)", type_name)
    return f"io.k8s.api.{match.group(1).lower()}.v1.{match.group(2)}" if match else None


def check(value, type_name, path, models, core, errors):
    if type_name.startswith("list["):
        if not isinstance(value, list):
            errors.append(f"{path}: expected a list")
            return
        for index, item in enumerate(value):
            check(item, type_name[5:-1], f"{path}.{index}", models, core, errors)
    elif type_name.startswith("dict("):
        if not isinstance(value, dict):
            errors.append(f"{path}: expected a mapping")
            return
        item_type = type_name[5:-1].split(", ", 1)[1]
        for key, item in value.items():
            check(item, item_type, f"{path}.{key}", models, core, errors)
    elif type_name in models.models:
        if not isinstance(value, dict):
            errors.append(f"{path}: expected a mapping for {type_name}")
            return
        types, attributes, required = models.models[type_name]
        by_json_name = {json_name: attribute for attribute, json_name in attributes.items()}
        for key, item in value.items():
            if key not in by_json_name:
                errors.append(f"{path}.{key}: unknown field of {type_name}")
            else:
                check(item, types[by_json_name[key]], f"{path}.{key}", models, core, errors)
        for attribute in sorted(required):
            if attributes[attribute] not in value:
                errors.append(f"{path}.{attributes[attribute]}: required by {type_name}")
    elif type_name in ("str", "int", "bool", "float"):
        expected = {"str": str, "int": int, "bool": bool, "float": (int, float)}[type_name]
        if not isinstance(value, expected) or (type_name == "int" and isinstance(value, bool)):
            errors.append(f"{path}: expected {type_name}, found {value!r}")
    elif type_name == "object":
        return
    elif (definition := core_definition(type_name)) is not None:
        errors.extend(f"{path}{where}: {message}" for where, message in core(definition, value))
    else:
        errors.append(f"{path}: no schema known for {type_name}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kserve-wheel", required=True)
    parser.add_argument("--kubernetes-version", default="1.37.0")
    parser.add_argument("files", nargs="+")
    arguments = parser.parse_args()
    models = KServeModels(arguments.kserve_wheel)
    core = core_validator(arguments.kubernetes_version)
    failed = False
    for filename in arguments.files:
        with open(filename) as handle:
            documents = [document for document in yaml.safe_load_all(handle) if document]
        for document in documents:
            name = f"{filename}: {document.get('kind')}/{document.get('metadata', {}).get('name')}"
            group, _, version = document.get("apiVersion", "").rpartition("/")
            if group.endswith("kserve.io"):
                errors = []
                check(document, f"{version.capitalize()}{document['kind']}", "", models, core, errors)
            else:
                try:
                    kv.validate(document, arguments.kubernetes_version, True)
                    errors = []
                except kv.ValidationError as error:
                    errors = [f"{'.'.join(map(str, error.path))}: {error.message}"]
                except kv.SchemaNotFoundError as error:
                    errors = [error.message]
            failed |= bool(errors)
            print(f"{'ERROR' if errors else 'OK'} {name}" + "".join(f"\n  {error}" for error in errors))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
