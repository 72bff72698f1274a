#!/usr/bin/env bash
# Builds the base AIM image and the model-specific images with docker, tagged as the reference tags them:
#   <registry>/aim-base:<version>
#   <registry>/aim:<version>-<org lower>-<model lower>-v<YYYYMMDD>
# Usage: scripts/build-images.sh [--registry R] [--base-image IMAGE] [--date YYYYMMDD] [--push] [--dry-run] [ORG/MODEL ...]
# With no ORG/MODEL, every model under profiles/ gets an image. --dry-run prints the docker commands only.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
registry="aim-runtime"
base_image=""
date_tag="$(date -u +%Y%m%d)"
push=false
dry_run=false
models=()
while [ $# -gt 0 ]; do
  case "$1" in
    --registry) [ $# -ge 2 ] || usage; registry="${2%/}"; shift 2 ;;
    --base-image) [ $# -ge 2 ] || usage; base_image="$2"; shift 2 ;;
    --date) [ $# -ge 2 ] || usage; date_tag="$2"; shift 2 ;;
    --push) push=true; shift ;;
    --dry-run) dry_run=true; shift ;;
    -h|--help) usage ;;
    -*) echo "error: unknown option '$1'; see --help" >&2; exit 2 ;;
    *) models+=("$1"); shift ;;
  esac
done
if ! [[ "$date_tag" =~ ^[0-9]{8}$ ]]; then
  echo "error: --date '$date_tag' is not valid: expected YYYYMMDD, e.g. 20261124" >&2
  exit 2
fi

version="$(sed -n 's/.*static let number = "\(.*\)".*/\1/p' Sources/aim-runtime/RuntimeVersion.swift)"
revision="$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
if [ ${#models[@]} -eq 0 ]; then
  while IFS= read -r dir; do models+=("${dir#profiles/}"); done \
    < <(find profiles -mindepth 2 -maxdepth 2 -type d ! -path 'profiles/general*' ! -path 'profiles/custom*' | sort)
fi
for model in "${models[@]}"; do
  if ! [[ "$model" =~ ^[^/]+/[^/]+$ ]] || [ ! -d "profiles/$model" ]; then
    echo "error: model '$model' has no profiles: expected ORG/MODEL with a folder profiles/ORG/MODEL" >&2
    exit 2
  fi
done

# Docker tags allow [a-z0-9_.-]: lower-case, and anything else becomes '-'.
tag_part() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]' | tr -c 'a-z0-9_.-' '-'; }

run() {
  printf '%q ' "$@"
  printf '\n'
  if [ "$dry_run" = false ]; then "$@"; fi
}

if [ "$dry_run" = false ] && ! docker info >/dev/null 2>&1; then
  echo "error: no Docker engine answers ('docker info' failed); start one, or use --dry-run to see the commands" >&2
  exit 1
fi

base_tag="$registry/aim-base:$version"
base_args=(--build-arg "VERSION=$version" --build-arg "REVISION=$revision")
[ -n "$base_image" ] && base_args+=(--build-arg "BASE_IMAGE=$base_image")
run docker build -f docker/Dockerfile "${base_args[@]}" -t "$base_tag" .
if [ "$push" = true ]; then run docker push "$base_tag"; fi

for model in "${models[@]}"; do
  org="${model%%/*}"
  name="${model#*/}"
  tag="$registry/aim:$version-$(tag_part "$org")-$(tag_part "$name")-v$date_tag"
  run docker build -f docker/Dockerfile.model --build-arg "BASE_IMAGE=$base_tag" \
    --build-arg "ORG=$org" --build-arg "MODEL=$name" -t "$tag" .
  if [ "$push" = true ]; then run docker push "$tag"; fi
done
