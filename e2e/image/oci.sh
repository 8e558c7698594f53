# Packs a root filesystem into an OCI image archive with umoci, no container
# engine involved. Sourced by e2e/image/build and e2e/image/build-pause.

# pack_oci ROOTFS REFERENCE ARCHIVE [umoci config options...]
# REFERENCE is repository:tag. The archive is an OCI image layout in a tar;
# its index names the image both the OCI way (the tag) and containerd's way
# (the whole reference), so `ctr images import` needs no --base-name.
pack_oci() {
  local rootfs=$1 reference=$2 archive=$3
  shift 3
  local tag=${reference##*:}
  local layout
  layout=$(mktemp -d)
  umoci init --layout "$layout/oci"
  umoci new --image "$layout/oci:$tag"
  # One layer holding the whole tree, owners and modes as they are on disk.
  umoci insert --image "$layout/oci:$tag" "$rootfs" /
  umoci config --image "$layout/oci:$tag" "$@"
  umoci gc --layout "$layout/oci"
  python3 - "$layout/oci/index.json" "$reference" <<'PY'
import json, sys
path, reference = sys.argv[1], sys.argv[2]
with open(path) as f:
    index = json.load(f)
for manifest in index["manifests"]:
    manifest.setdefault("annotations", {})["io.containerd.image.name"] = reference
with open(path, "w") as f:
    json.dump(index, f)
PY
  mkdir -p "$(dirname "$archive")"
  tar -C "$layout/oci" -cf "$archive.tmp" .
  mv "$archive.tmp" "$archive"
  rm -rf "$layout"
}
