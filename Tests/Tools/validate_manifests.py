"""Validates Kubernetes manifests strictly: core kinds against kubernetes-validate's schemas, KServe kinds
against the field types of KServe's published Python SDK (read from its wheel as text, never imported),
whose Kubernetes-typed fields (V1Container, V1Volume, ...) are checked against the same core schemas.
Custom resources whose CRD is given (--crd; by default LeaderWorkerSet's, Tests/Fixtures/lws) are checked
against the CRD's openAPIV3Schema, strictly (an unknown field is an error, as `kubectl apply` rejects it),
and the pod templates they embed against the core PodSpec as well.

Usage: python validate_manifests.py --kserve-wheel kserve-*.whl [--crd CRD.yaml]... [--kubernetes-version 1.37.0]
       FILE...
Prints one line per resource; exits 1 when any resource is invalid, 2 on bad usage.
"""
import argparse
import ast
import json
import os
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


DEFAULT_CRDS = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "lws",
                             "leaderworkerset.x-k8s.io_leaderworkersets.yaml")]

# Where custom kinds embed core objects, which their CRD copies from some Kubernetes release: checked against
# this release's core schema too, so a field the cluster's own PodSpec would refuse is caught.
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
EMBEDDED_CORE = {
    "LeaderWorkerSet": [
        (("spec", "leaderWorkerTemplate", template, part), definition)
        for template in ("leaderTemplate", "workerTemplate")
        for part, definition in (("metadata", OBJECT_META), ("spec", "io.k8s.api.core.v1.PodSpec"))
    ] + [(("spec", "leaderWorkerTemplate", "volumeClaimTemplates"), "io.k8s.api.core.v1.PersistentVolumeClaim[]")],
}


def strict_structural(schema):
    """A CRD's structural schema as JSON Schema: objects with declared properties reject unknown fields
    (unless x-kubernetes-preserve-unknown-fields), nullable admits null."""
    if isinstance(schema, list):
        return [strict_structural(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    subschemas = ("items", "additionalProperties", "not", "allOf", "anyOf", "oneOf")
    result = {key: strict_structural(value) if key in subschemas else value
              for key, value in schema.items() if key != "properties"}
    if "properties" in schema:
        result["properties"] = {name: strict_structural(value) for name, value in schema["properties"].items()}
        if "additionalProperties" not in schema and not schema.get("x-kubernetes-preserve-unknown-fields"):
            result["additionalProperties"] = False
    if schema.get("nullable") and "type" in schema:
        result["type"] = [schema["type"], "null"]
    return result


def list_type(validator, kind, instance, schema):
    """x-kubernetes-list-type: the API server refuses a set with repeated items or a map list with repeated keys."""
    if not validator.is_type(instance, "array") or kind not in ("set", "map"):
        return
    keys = schema.get("x-kubernetes-list-map-keys", [])
    seen = set()
    for item in instance:
        key = json.dumps([item.get(name) for name in keys] if kind == "map" and isinstance(item, dict) else item,
                         sort_keys=True)
        if key in seen:
            yield jsonschema.ValidationError(f"duplicate entry {key} in a list of type {kind}")
        seen.add(key)


CRDValidator = jsonschema.validators.extend(jsonschema.validators.Draft202012Validator,
                                            {"x-kubernetes-list-type": list_type})


def load_crds(paths):
    """(group/version, kind) -> a strict validator for every served version of every CRD in paths."""
    validators = {}
    for path in paths:
        with open(path) as handle:
            for crd in yaml.safe_load_all(handle):
                if not crd or crd.get("kind") != "CustomResourceDefinition":
                    continue
                spec = crd["spec"]
                for version in spec["versions"]:
                    if version.get("served", True):
                        schema = strict_structural(version["schema"]["openAPIV3Schema"])
                        validators[(f"{spec['group']}/{version['name']}", spec["names"]["kind"])] = CRDValidator(schema)
    return validators


def check_custom(document, validator, core):
    """A custom resource against its CRD's schema, then its metadata and embedded core objects against core's."""
    errors = [("".join(f".{part}" for part in e.absolute_path), e.message) for e in validator.iter_errors(document)]
    for path, definition in [(("metadata",), OBJECT_META)] + EMBEDDED_CORE.get(document["kind"], []):
        value = document
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            continue
        # "Definition[]": a list of them, each checked.
        items = list(enumerate(value)) if definition.endswith("[]") and isinstance(value, list) else [(None, value)]
        for index, item in items:
            prefix = "".join(f".{part}" for part in path) + ("" if index is None else f".{index}")
            name = definition.removesuffix("[]")
            errors += [(f"{prefix}{where}", f"{message} ({name})") for where, message in core(name, item)]
    return [f"{where or '.'}: {message}" for where, message in errors]


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
    parser.add_argument("--crd", action="append", help="a CustomResourceDefinition file (repeatable)")
    parser.add_argument("--kubernetes-version", default="1.37.0")
    parser.add_argument("files", nargs="+")
    arguments = parser.parse_args()
    models = KServeModels(arguments.kserve_wheel)
    core = core_validator(arguments.kubernetes_version)
    crds = load_crds(arguments.crd or DEFAULT_CRDS)
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
            elif (document.get("apiVersion"), document.get("kind")) in crds:
                errors = check_custom(document, crds[(document["apiVersion"], document["kind"])], core)
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
