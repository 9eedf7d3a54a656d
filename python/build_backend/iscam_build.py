"""The wheel of iscam, built by the project's CMake build: a PEP 517 backend with no
dependencies (pyproject.toml), and the tool of scripts/build-wheel.sh.

    python3 python/build_backend/iscam_build.py --build-dir build/native --out dist

The wheel holds the package iscam (python/iscam/ and the compiled iscam._iscam), libiscam and
ONNX Runtime's library under iscam/lib (found through RPATH $ORIGIN/lib), the bundled data under
iscam/share/iscam (found from libiscam, as in an install prefix) and the licences. The zip and
its RECORD are written here with the standard library: the wheel package of Debian 12 offers
no API for a tree made by another build system.
"""
import argparse
import base64
import hashlib
import io
import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import zipfile

try:
    import tomllib
except ImportError:  # Python < 3.11: the fields read from pyproject.toml are given here instead
    tomllib = None

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ORT_PACKAGE = "node_modules/com.github.asus4.onnxruntime"
# What an sdist needs of the npm package to build (its headers, the Linux library, the licences).
ORT_FILES = ["package.json", "LICENSE", "ThirdPartyNotices.txt", "Plugins/Linux/x64",
             "Plugins/iOS~/onnxruntime.xcframework/ios-arm64/onnxruntime.framework/Headers"]


def version():
    with open(os.path.join(ROOT, "CMakeLists.txt")) as f:
        return re.search(r"project\(iscam VERSION ([0-9.]+)", f.read()).group(1)


def project():
    if tomllib is None:
        return {"name": "iscam", "description": "Score-CAM, SS-CAM and IS-CAM class activation maps",
                "requires-python": ">=3.8", "dependencies": ["numpy"], "optional-dependencies": {"torch": ["torch"]}}
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        return tomllib.load(f)["project"]


def metadata():
    p = project()
    lines = ["Metadata-Version: 2.1", f"Name: {p['name']}", f"Version: {version()}",
             f"Summary: {p['description']}", f"Requires-Python: {p['requires-python']}", "License-File: LICENSE"]
    lines += [f"Classifier: {c}" for c in p.get("classifiers", [])]
    lines += [f"Requires-Dist: {d}" for d in p["dependencies"]]
    for extra, deps in p.get("optional-dependencies", {}).items():
        lines.append(f"Provides-Extra: {extra}")
        lines += [f'Requires-Dist: {d}; extra == "{extra}"' for d in deps]
    lines.append("Description-Content-Type: text/markdown")
    with open(os.path.join(ROOT, "README.md")) as f:
        return "\n".join(lines) + "\n\n" + f.read()


def dist_info():
    return f"iscam-{version()}.dist-info"


def wheel_file(tag):
    return f"Wheel-Version: 1.0\nGenerator: iscam_build\nRoot-Is-Purelib: false\nTag: {tag}\n"


def run(*cmd):
    print("iscam_build:", " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True, stdout=sys.stderr)


def cmake_build(build_dir):
    """Configures build_dir unless it is configured already (then its own settings stay), and
    builds the Python module and the program; returns the install tree."""
    if not os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
        run("cmake", "-S", ROOT, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release", "-DISCAM_TESTS=OFF",
            "-DISCAM_CUDA=OFF", "-DCMAKE_INSTALL_LIBDIR=lib", f"-DPython_EXECUTABLE={sys.executable}")
    run("cmake", "--build", build_dir, "--target", "iscam_python", "iscam", "-j", str(os.cpu_count() or 2))


def staged(build_dir, stage):
    for component in ("runtime", "python"):
        run("cmake", "--install", build_dir, "--prefix", stage, "--component", component)


def wheel_members(stage):
    """(path in the wheel, file on disk) of everything the wheel holds."""
    lib = os.path.join(stage, "lib")
    package = os.path.join(lib, "python3", "dist-packages", "iscam")
    if not os.path.isdir(package):
        raise SystemExit(f"iscam_build: {package} is missing: the build has no Python module "
                         "(it needs pybind11-dev and python3-dev)")
    members = []
    for folder, _, files in os.walk(package):
        for name in sorted(files):
            if name.endswith(".pyc"):
                continue
            path = os.path.join(folder, name)
            members.append(("iscam/" + os.path.relpath(path, package), path))
    # The libraries under the names the loader asks for (their SONAMEs); not the CUDA provider.
    libiscam = [n for n in os.listdir(lib) if re.fullmatch(r"libiscam\.so\.\d+\.\d+", n)]
    if len(libiscam) != 1:
        raise SystemExit(f"iscam_build: no single libiscam.so.MAJOR.MINOR in {lib}: {libiscam}")
    for name in libiscam + ["libonnxruntime.so.1", "libonnxruntime_providers_shared.so"]:
        if os.path.exists(os.path.join(lib, name)):
            members.append(("iscam/lib/" + name, os.path.realpath(os.path.join(lib, name))))
    share = os.path.join(stage, "share")
    for folder, _, files in os.walk(os.path.join(share, "iscam")):
        members += [("iscam/share/" + os.path.relpath(os.path.join(folder, n), share), os.path.join(folder, n))
                    for n in sorted(files)]
    for folder, _, files in os.walk(os.path.join(share, "doc", "iscam", "onnxruntime")):
        members += [("iscam/share/doc/onnxruntime/" + n, os.path.join(folder, n)) for n in sorted(files)]
    members.append((f"{dist_info()}/licenses/LICENSE", os.path.join(ROOT, "LICENSE")))
    return members


def tag_of(members):
    """cp311-cp311-linux_x86_64 from the extension's name (_iscam.cpython-311-x86_64-linux-gnu.so)."""
    ext = [p for p, _ in members if re.fullmatch(r"iscam/_iscam\..*\.so", p)]
    if len(ext) != 1:
        raise SystemExit(f"iscam_build: no single compiled module iscam/_iscam.*.so: {ext}")
    m = re.fullmatch(r"iscam/_iscam\.cpython-(\d+)-.*\.so", ext[0])
    if not m:
        raise SystemExit(f"iscam_build: {ext[0]} is not a CPython extension")
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"cp{m.group(1)}-cp{m.group(1)}-{platform}"


def record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def write_wheel(members, out_dir):
    tag = tag_of(members)
    name = f"iscam-{version()}-{tag}.whl"
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, name)
    records = []
    with zipfile.ZipFile(path + ".part", "w", zipfile.ZIP_DEFLATED) as z:
        def add(arcname, data, executable=False):
            info = zipfile.ZipInfo(arcname, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if executable else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
            records.append(record_line(arcname, data))

        for arcname, source in members:
            with open(source, "rb") as f:
                add(arcname, f.read(), executable=".so" in os.path.basename(arcname))
        add(f"{dist_info()}/METADATA", metadata().encode())
        add(f"{dist_info()}/WHEEL", wheel_file(tag).encode())
        record = f"{dist_info()}/RECORD"
        z.writestr(zipfile.ZipInfo(record, date_time=(2020, 1, 1, 0, 0, 0)),
                   "\n".join(records + [f"{record},,"]) + "\n")
    os.replace(path + ".part", path)
    return name


def make_wheel(build_dir, out_dir, build=True):
    build_dir = os.path.abspath(build_dir)
    if build:
        cmake_build(build_dir)
    with tempfile.TemporaryDirectory() as stage:
        staged(build_dir, stage)
        return write_wheel(wheel_members(stage), out_dir)


def _build_dir(config_settings):
    chosen = (config_settings or {}).get("build-dir") or os.environ.get("ISCAM_WHEEL_BUILD_DIR")
    return os.path.abspath(chosen) if chosen else os.path.join(ROOT, "build", "wheel")


# ---- PEP 517 -------------------------------------------------------------------------------

def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    folder = os.path.join(metadata_directory, dist_info())
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "METADATA"), "w") as f:
        f.write(metadata())
    return dist_info()


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    """Builds in build/wheel (config setting build-dir, or ISCAM_WHEEL_BUILD_DIR: another)."""
    return make_wheel(_build_dir(config_settings), wheel_directory)


def build_sdist(sdist_directory, config_settings=None):
    """The tracked source tree and the part of the ONNX Runtime npm package the build needs."""
    base = f"iscam-{version()}"
    listed = subprocess.run(["git", "-C", ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            check=True, capture_output=True).stdout.decode().split("\0")
    files = [f for f in listed if f and os.path.isfile(os.path.join(ROOT, f))]
    for entry in ORT_FILES:
        path = os.path.join(ROOT, ORT_PACKAGE, entry)
        if os.path.isdir(path):
            files += [os.path.relpath(os.path.join(d, n), ROOT) for d, _, ns in os.walk(path) for n in ns]
        elif os.path.isfile(path):
            files.append(os.path.relpath(path, ROOT))
    name = base + ".tar.gz"
    os.makedirs(sdist_directory, exist_ok=True)
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz", format=tarfile.PAX_FORMAT) as t:
        for f in sorted(set(files)):
            t.add(os.path.realpath(os.path.join(ROOT, f)), arcname=f"{base}/{f}", recursive=False)
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        data = metadata().encode()
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    return name


def main():
    ap = argparse.ArgumentParser(description="makes the wheel of iscam from a CMake build folder")
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build", "wheel"),
                    help="a build folder (configured and built here when it has no CMakeCache.txt)")
    ap.add_argument("--out", default=os.path.join(ROOT, "dist"), help="where the wheel is written")
    args = ap.parse_args()
    print(os.path.join(args.out, make_wheel(args.build_dir, args.out)))


if __name__ == "__main__":
    main()
