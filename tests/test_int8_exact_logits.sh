#!/usr/bin/env bash
# The bundled int8 network's logits from ONNX Runtime equal its operators' integer arithmetic
# (scripts/int8_reference.py) on every bundled photo. Without VNNI, x86 int8 kernels overflow
# unless the session asks for exact ones: the class and maps would then depend on the CPU
# (astronaut.png was called "puck" instead of "bobsled").
source "$(dirname "$0")/cli_test_setup.sh"
net=$root/web/models/mobilenetv2-12-int8.onnx
for file in chelsea coffee astronaut camera; do
  py "
import numpy as np
from PIL import Image
img = Image.open('$root/web/samples/$file.png').convert('RGB')
w, h = img.size
img = img.resize((round(w * 256 / min(w, h)), round(h * 256 / min(w, h))), Image.BILINEAR)
left, top = (img.size[0] - 224) // 2, (img.size[1] - 224) // 2
x = np.asarray(img.crop((left, top, left + 224, top + 224)), np.float32) / 255
x = (x - [0.485, 0.456, 0.406]) / [0.229, 0.224, 0.225]
np.save('$tmp/$file.npy', x.transpose(2, 0, 1)[None].astype(np.float32))
"
  check "$file: the integer arithmetic's logits" /usr/bin/python3 "$root/scripts/int8_reference.py" "$net" "$tmp/$file.npy" "$tmp/$file-reference.npy"
  "$iscam" predict -m "$net" --input-npy "$tmp/$file.npy" -k 1000 >"$tmp/$file.txt"
  check "$file: the same logits" py "
import numpy as np
reference = np.load('$tmp/$file-reference.npy').ravel()
ort = np.full(1000, np.nan)
for row in open('$tmp/$file.txt').read().splitlines()[1:]:  # rank, class, probability, logit, label
    fields = row.split()
    ort[int(fields[1])] = float(fields[3])
worst = np.abs(ort - reference).max()
print(f'$file: largest difference {worst:.4f} (printed to 0.001), top-1 {ort.argmax()}, integer arithmetic {reference.argmax()}')
assert worst <= 2e-3 and ort.argmax() == reference.argmax(), worst
"
done
echo "test_int8_exact_logits: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
