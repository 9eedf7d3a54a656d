"""What the wheel of scripts/build-wheel.sh holds: the package, its libraries, data and licences,
and a RECORD whose hashes and sizes are right. Run by scripts/test-wheel.sh:

    /usr/bin/python3 tests/python/check_wheel.py dist/iscam-*.whl
"""
import base64
import hashlib
import re
import sys
import zipfile


def main(path):
    z = zipfile.ZipFile(path)
    names = set(z.namelist())
    info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/WHEEL"))
    for needed in ["iscam/__init__.py", "iscam/py.typed", "iscam/_iscam.pyi", "iscam/lib/libonnxruntime.so.1",
                   "iscam/share/iscam/imagenet-labels.json", "iscam/share/doc/onnxruntime/LICENSE",
                   "iscam/models/fashion-cnn.onnx", "iscam/models/fashion-cnn.json", "iscam/models/shapes-cnn.json",
                   "iscam/models/shapes-vit.onnx", "iscam/models/shapes-vit.json",
                   f"{info}/METADATA", f"{info}/RECORD", f"{info}/licenses/LICENSE"]:
        assert needed in names, f"{needed} is not in the wheel"
    assert any(re.fullmatch(r"iscam/_iscam\.cpython-3\d+-x86_64-linux-gnu\.so", n) for n in names), names
    assert any(re.fullmatch(r"iscam/lib/libiscam\.so\.\d+\.\d+", n) for n in names), names
    listed = {}
    for line in z.read(f"{info}/RECORD").decode().splitlines():
        name, digest, size = line.rsplit(",", 2)
        listed[name] = (digest, size)
    assert set(listed) == names, names ^ set(listed)
    for name, (digest, size) in listed.items():
        if name == f"{info}/RECORD":
            assert digest == size == "", name
            continue
        data = z.read(name)
        want = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert digest == want and int(size) == len(data), f"RECORD is wrong for {name}"
    meta = z.read(f"{info}/METADATA").decode()
    assert "Name: iscam\n" in meta and "Requires-Dist: numpy\n" in meta, meta[:400]
    wheel = z.read(f"{info}/WHEEL").decode()
    assert "Root-Is-Purelib: false\n" in wheel and re.search(r"Tag: cp3\d+-cp3\d+-linux_x86_64\n", wheel), wheel
    print(f"   {len(names)} files, RECORD right for each")


if __name__ == "__main__":
    main(sys.argv[1])
