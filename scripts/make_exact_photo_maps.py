"""Exact IS-CAM maps of the bundled ImageNet network on the bundled photos, for
tests/test_cli_fast_photos.sh (fast IS-CAM against exact IS-CAM). An exact run is 12 000 forward
passes a photo, a minute or more on two cores: too long for every test run, so they are kept.

    /usr/bin/python3 scripts/make_exact_photo_maps.py   # writes tests/fixtures/exact-iscam-photos.json
    /usr/bin/python3 scripts/make_exact_photo_maps.py --float-form   # exact-iscam-photos-float.json

--float-form: the network's float form (iscam --float-form, what the page runs).

--exact-cache DIR takes the exact runs that scripts/bench_fast_mode.py --exact-cache DIR kept,
where they are there (the same map: exact IS-CAM, N = 10, batches of 32).

The model's SHA-256 is recorded: the test fails on a fixture made from another model.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = "web/models/mobilenetv2-12-int8.onnx"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iscam", default=os.path.join(REPO, "build/native/native/iscam"))
    ap.add_argument("--exact-cache", help="scripts/bench_fast_mode.py's --exact-cache folder")
    ap.add_argument("--float-form", action="store_true", help="explain the network's float form")
    ap.add_argument("--out", help="default: tests/fixtures/exact-iscam-photos.json (-float.json with --float-form)")
    args = ap.parse_args()
    form = "-float" if args.float_form else ""
    args.out = args.out or os.path.join(REPO, f"tests/fixtures/exact-iscam-photos{form}.json")
    with open(os.path.join(REPO, "tests/fixtures/photo-boxes.json")) as f:
        photos = [p["file"] for p in json.load(f)["photos"]]
    with open(os.path.join(REPO, MODEL), "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    maps = {}
    with tempfile.TemporaryDirectory() as tmp:
        for file in photos:
            out = os.path.join(args.exact_cache or "", f"mobilenetv2-12-int8{form}-{file}-iscam.json")
            if not (args.exact_cache and os.path.exists(out)):
                out = os.path.join(tmp, "r.json")
                subprocess.run([args.iscam, "explain", "-m", os.path.join(REPO, MODEL), "-i", os.path.join(REPO, "web/samples", file),
                                "--method", "iscam", "--batch", "32", "--json", out] + (["--float-form"] if args.float_form else []),
                               check=True, stdout=subprocess.DEVNULL)
            with open(out) as f:
                r = json.load(f)
            maps[file] = {"class": r["class"], "map": r["map"]}
            print(f"{file}: class {r['class']} ({r['class_label']}), {r['forward_passes']} passes", flush=True)
    with open(args.out, "w") as f:
        json.dump({"model": MODEL, "sha256": digest, "float_form": args.float_form, "method": "iscam", "samples": 10,
                   "photos": maps}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
